using DangVu.Core.Abstractions.Errors;
using DangVu.Core.Abstractions.Organisation;
using DangVu.Modules.Members.Application;
using DangVu.Modules.Members.Application.Reports;
using DangVu.Modules.Members.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DangVu.Modules.Members.Web;

/// <summary>
/// The files the pages link to: the statistics as PDF or XLSX and the member list as CSV or XLSX, all of an
/// organisation subtree the person may read (signed-in only; refusals are plain Vietnamese text).
/// </summary>
internal static class MembersDownloads
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/members/statistics.pdf", StatisticsPdfAsync).RequireAuthorization();
        routes.MapGet("/members/statistics.xlsx", StatisticsXlsxAsync).RequireAuthorization();
        routes.MapGet("/members/export.csv", (string? org, IOrganisationDirectory directory, ImportExportService exports, MembersClock clock, HttpContext http) =>
            ExportAsync(org, MemberFileFormat.Csv, directory, exports, clock, http)).RequireAuthorization();
        routes.MapGet("/members/export.xlsx", (string? org, IOrganisationDirectory directory, ImportExportService exports, MembersClock clock, HttpContext http) =>
            ExportAsync(org, MemberFileFormat.Xlsx, directory, exports, clock, http)).RequireAuthorization();
    }

    private static Task<IResult> StatisticsPdfAsync(string? org, IOrganisationDirectory directory, QueryService queries, MembersClock clock, HttpContext http) =>
        ForUnitAsync(org, directory, async unit =>
        {
            var statistics = await queries.StatisticsAsync(unit.Id, clock.Today, http.RequestAborted);
            return Results.File(StatisticsPdf.Write(unit.NameVi, clock.Today, statistics), "application/pdf", $"thong-ke-dang-vien-{unit.Code}-{clock.Today:yyyyMMdd}.pdf");
        });

    private static Task<IResult> StatisticsXlsxAsync(string? org, IOrganisationDirectory directory, QueryService queries, MembersClock clock, HttpContext http) =>
        ForUnitAsync(org, directory, async unit =>
        {
            var statistics = await queries.StatisticsAsync(unit.Id, clock.Today, http.RequestAborted);
            using var xlsx = new MemoryStream();
            await StatisticsXlsx.WriteAsync(statistics, xlsx, http.RequestAborted);
            return Results.File(xlsx.ToArray(), XlsxContentType, $"thong-ke-dang-vien-{unit.Code}-{clock.Today:yyyyMMdd}.xlsx");
        });

    private static Task<IResult> ExportAsync(string? org, MemberFileFormat format, IOrganisationDirectory directory, ImportExportService exports, MembersClock clock, HttpContext http) =>
        ForUnitAsync(org, directory, async unit =>
        {
            // Buffered: a refusal found while writing must not leave half a file behind a 200.
            using var file = new MemoryStream();
            await exports.ExportAsync(unit.Id, file, format, http.RequestAborted);
            var (type, extension) = format == MemberFileFormat.Xlsx ? (XlsxContentType, "xlsx") : ("text/csv; charset=utf-8", "csv");
            return Results.File(file.ToArray(), type, $"dang-vien-{unit.Code}-{clock.Today:yyyyMMdd}.{extension}");
        });

    private const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static async Task<IResult> ForUnitAsync(string? code, IOrganisationDirectory directory, Func<OrgUnitInfo, Task<IResult>> produce)
    {
        if (string.IsNullOrWhiteSpace(code) || await directory.FindByCodeAsync(code) is not { } unit)
        {
            return Refusal(StatusCodes.Status404NotFound, $"Không tìm thấy tổ chức \"{code}\". (Organisation not found.)");
        }

        try
        {
            return await produce(unit);
        }
        catch (PermissionDeniedException ex)
        {
            return Refusal(StatusCodes.Status403Forbidden, $"{ex.MessageVi} ({ex.MessageEn})");
        }
    }

    private static IResult Refusal(int status, string message) => Results.Text(message, "text/plain; charset=utf-8", statusCode: status);
}
