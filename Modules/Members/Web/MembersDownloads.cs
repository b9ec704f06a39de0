using DangVu.Core.Abstractions.Errors;
using DangVu.Core.Abstractions.Organisation;
using DangVu.Modules.Members.Application;
using DangVu.Modules.Members.Application.Reports;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DangVu.Modules.Members.Web;

/// <summary>
/// The files the pages link to: the statistics as PDF and the member list as CSV, both of an
/// organisation subtree the person may read (signed-in only; refusals are plain Vietnamese text).
/// </summary>
internal static class MembersDownloads
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/members/statistics.pdf", StatisticsPdfAsync).RequireAuthorization();
        routes.MapGet("/members/export.csv", ExportCsvAsync).RequireAuthorization();
    }

    private static Task<IResult> StatisticsPdfAsync(string? org, IOrganisationDirectory directory, QueryService queries, MembersClock clock, HttpContext http) =>
        ForUnitAsync(org, directory, async unit =>
        {
            var statistics = await queries.StatisticsAsync(unit.Id, clock.Today, http.RequestAborted);
            return Results.File(StatisticsPdf.Write(unit.NameVi, clock.Today, statistics), "application/pdf", $"thong-ke-dang-vien-{unit.Code}-{clock.Today:yyyyMMdd}.pdf");
        });

    private static Task<IResult> ExportCsvAsync(string? org, IOrganisationDirectory directory, ImportExportService exports, MembersClock clock, HttpContext http) =>
        ForUnitAsync(org, directory, async unit =>
        {
            // Buffered: a refusal found while writing must not leave half a file behind a 200.
            using var csv = new MemoryStream();
            await exports.ExportCsvAsync(unit.Id, csv, http.RequestAborted);
            return Results.File(csv.ToArray(), "text/csv; charset=utf-8", $"dang-vien-{unit.Code}-{clock.Today:yyyyMMdd}.csv");
        });

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
