using DangVu.Core.Abstractions.Errors;
using DangVu.Core.Abstractions.Modules;
using DangVu.Core.Abstractions.Organisation;
using DangVu.Modules.Members.Application;
using DangVu.Modules.Members.Domain;
using DangVu.Modules.Members.Storage;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Modules.Members.Cli;

/// <summary><c>dangvu members import|export</c>: the member list in and out as the import format (CSV or XLSX).</summary>
internal static class MembersCommands
{
    public static readonly ModuleCommand Import = new(
        "import",
        "Nhập hồ sơ đảng viên từ tệp CSV hoặc XLSX tiêu đề tiếng Việt, tất cả hoặc không",
        "import member files from CSV or XLSX with Vietnamese headers, all or nothing")
    {
        Arguments = [new("file", "Tệp .csv hoặc .xlsx", "a .csv or .xlsx file")],
    };

    public static readonly ModuleCommand Export = new(
        "export",
        "Xuất danh sách đảng viên theo đúng mẫu nhập",
        "export the member list in the import format")
    {
        Options =
        [
            new("org", "Mã tổ chức; mặc định cả cây", "organisation code; the whole tree by default"),
            new("format", "csv hoặc xlsx; mặc định theo đuôi tệp", "csv or xlsx; by default from the file's extension", AllowedValues: ["csv", "xlsx"]),
            new("output", "Tệp ghi ra", "the file to write", Required: true, Alias: "-o"),
        ],
    };

    /// <summary>The format a file name asks for, or null when it names neither.</summary>
    public static MemberFileFormat? ByExtension(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".csv" => MemberFileFormat.Csv,
        ".xlsx" => MemberFileFormat.Xlsx,
        _ => null,
    };

    public static InvalidArgumentException UnknownFormat(string argument, string path) => new(
        argument,
        $"Không rõ định dạng của \"{Path.GetFileName(path)}\": dùng tệp .csv hoặc .xlsx",
        "unknown format: use a .csv or .xlsx file");
}

/// <summary>Validates every row, prints the errors by row and column, or writes all rows with progress.</summary>
internal sealed class ImportCommand(ImportExportService members) : IModuleCommandHandler
{
    public async Task<int> RunAsync(ModuleCommandInvocation invocation, CancellationToken cancellationToken)
    {
        var path = invocation["file"]!;
        if (!File.Exists(path))
        {
            throw new InvalidArgumentException("file", $"Không tìm thấy tệp {path}", "file not found");
        }

        await using var file = File.OpenRead(path);
        // The content decides (a workbook is a zip), so that a renamed workbook still reads; text must say .csv.
        var format = MemberFileFormats.Detect(path, file);
        if (format != MemberFileFormat.Xlsx && MembersCommands.ByExtension(path) is null)
        {
            throw MembersCommands.UnknownFormat("file", path);
        }

        ImportResult result;
        using (var progress = invocation.Console.StartProgress())
        {
            result = await members.ImportAsync(file, format, new ProgressLine(progress), cancellationToken);
        }

        if (!result.Succeeded)
        {
            invocation.Console.WriteTable(
                ["Dòng (row)", "Cột (column)", "Lỗi (error)"],
                result.Errors.Select(e => (IReadOnlyList<string>)[e.Row.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Column, $"{e.MessageVi} ({e.MessageEn})"]));
            invocation.Console.Error(
                $"Tệp có {result.Errors.Count} lỗi; không có hồ sơ nào được nhập",
                $"the file has {result.Errors.Count} errors; nothing was imported");
            return 1;
        }

        invocation.Console.WriteLine($"Đã nhập {result.Imported} đảng viên (imported {result.Imported} members)");
        return 0;
    }

    /// <summary>Synchronous on the reporting thread, unlike <see cref="Progress{T}"/>, so that lines keep their order.</summary>
    private sealed class ProgressLine(ICommandProgress line) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) =>
            line.Report(value.Stage == ImportStage.Checking ? "Đang kiểm tra (checking)" : "Đang ghi (writing)", value.Done, value.Total);
    }
}

/// <summary>Writes a subtree's members to a file, completely or not at all (a temporary file renamed at the end).</summary>
internal sealed class ExportCommand(ImportExportService members, IOrganisationDirectory directory, MembersDbContext db) : IModuleCommandHandler
{
    public async Task<int> RunAsync(ModuleCommandInvocation invocation, CancellationToken cancellationToken)
    {
        var output = Path.GetFullPath(invocation["output"]!);
        var format = invocation["format"] switch
        {
            "csv" => MemberFileFormat.Csv,
            "xlsx" => MemberFileFormat.Xlsx,
            _ => MembersCommands.ByExtension(output) ?? throw MembersCommands.UnknownFormat("output", output),
        };
        if (!Directory.Exists(Path.GetDirectoryName(output)))
        {
            throw new InvalidArgumentException("output", $"Không có thư mục {Path.GetDirectoryName(output)}", "the folder does not exist");
        }

        var root = invocation["org"] is { } code
            ? await directory.FindByCodeAsync(code, cancellationToken)
                ?? throw new NotFoundException($"Không tìm thấy tổ chức mã \"{code}\"", $"no organisation has code {code}")
            : await TreeAsync(cancellationToken);
        var temporary = output + ".part";
        try
        {
            await using (var file = File.Create(temporary))
            {
                await members.ExportAsync(root.Id, file, format, cancellationToken);
            }

            File.Move(temporary, output, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        invocation.Console.WriteLine($"Đã xuất danh sách {root.Code} ra {output} (exported)");
        return 0;
    }

    /// <summary>The root of the tree the members belong to; refused when they span several trees.</summary>
    private async Task<OrgUnitInfo> TreeAsync(CancellationToken cancellationToken)
    {
        var owners = await db.Members.AsNoTracking().Select(m => m.OwnerOrgUnitId).Distinct().ToListAsync(cancellationToken);
        if (owners.Count == 0)
        {
            throw new InvalidArgumentException("org", "Chưa có hồ sơ đảng viên nào; hãy chỉ rõ --org", "there are no member files yet; name --org");
        }

        var root = (await directory.AncestryAsync(owners[0], cancellationToken))[^1];
        var tree = (await directory.SubtreeAsync(root.Id, cancellationToken)).Select(u => u.Id).ToHashSet();
        return owners.All(tree.Contains)
            ? root
            : throw new InvalidArgumentException("org", "Đảng viên thuộc nhiều cây tổ chức; hãy chỉ rõ --org", "the members belong to several trees; name --org");
    }
}
