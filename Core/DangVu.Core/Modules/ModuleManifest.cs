using System.Text.Json;
using System.Text.RegularExpressions;

namespace DangVu.Core.Modules;

/// <summary>
/// What a module says about itself in <c>plugins/&lt;id&gt;/module.json</c>:
/// <code>
/// { "id": "members", "name": { "vi": "Đảng viên", "en": "Members" }, "version": "1.0.0",
///   "core": "&gt;=1.0.0 &lt;2.0.0", "assembly": "DangVu.Modules.Members.dll", "dependencies": [] }
/// </code>
/// </summary>
internal sealed partial record ModuleManifest(
    string Id,
    string NameVi,
    string NameEn,
    Version Version,
    VersionRange Core,
    string Assembly,
    IReadOnlyList<string> Dependencies)
{
    public const string FileName = "module.json";

    /// <summary>Lower-case letters, digits and dashes; it names folders, files and schemas.</summary>
    [GeneratedRegex("^[a-z][a-z0-9-]{1,39}$")]
    private static partial Regex IdPattern();

    public static bool IsValidId([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? id) => id is not null && IdPattern().IsMatch(id);

    /// <summary>Reads and checks a manifest; every problem becomes a <see cref="ModuleLoadException"/> that says how to fix it.</summary>
    /// <param name="path">The manifest file.</param>
    /// <param name="checkFolder">Whether the folder must be named like the id (false while a package is being installed).</param>
    public static ModuleManifest Read(string path, bool checkFolder = true)
    {
        var folderId = Path.GetFileName(Path.GetDirectoryName(path)) ?? "?";
        if (!File.Exists(path))
        {
            throw new ModuleLoadException(folderId,
                $"thiếu tệp {FileName} trong {Path.GetDirectoryName(path)}; hãy cài lại mô-đun từ gói zip",
                $"{FileName} is missing in {Path.GetDirectoryName(path)}; reinstall the module from its zip");
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new ModuleLoadException(folderId,
                $"{FileName} không phải JSON hợp lệ (dòng {ex.LineNumber + 1}): {ex.Message}",
                $"{FileName} is not valid JSON (line {ex.LineNumber + 1}): {ex.Message}", ex);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(folderId, "nội dung phải là một đối tượng JSON", "the content must be a JSON object");
        }

        var id = String(root, "id");
        if (!IsValidId(id))
        {
            throw Invalid(folderId, $"\"id\" phải là chữ thường, số và dấu gạch ngang (nhận được '{id}')",
                $"\"id\" must be lower-case letters, digits and dashes (got '{id}')");
        }

        if (id == Platform.CoreDbContext.StorageId)
        {
            throw Invalid(folderId, "\"core\" là tên dành riêng cho Core", "\"core\" is reserved for Core");
        }

        if (checkFolder && id != folderId)
        {
            throw Invalid(folderId, $"\"id\" là '{id}' nhưng thư mục là '{folderId}'; hai tên phải trùng nhau",
                $"\"id\" is '{id}' but the folder is '{folderId}'; they must match");
        }

        var name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.Object ? n : default;
        var nameVi = name.ValueKind == JsonValueKind.Object ? String(name, "vi") : null;
        var nameEn = name.ValueKind == JsonValueKind.Object ? String(name, "en") : null;
        if (string.IsNullOrWhiteSpace(nameVi))
        {
            throw Invalid(id, "thiếu tên tiếng Việt \"name.vi\"", "\"name.vi\" (Vietnamese name) is missing");
        }

        if (!VersionRange.TryParseVersion(String(root, "version"), out var version))
        {
            throw Invalid(id, $"\"version\" không hợp lệ ('{String(root, "version")}'), ví dụ đúng: \"1.0.0\"",
                $"\"version\" is invalid ('{String(root, "version")}'); write it like \"1.0.0\"");
        }

        if (!VersionRange.TryParse(String(root, "core"), out var core))
        {
            throw Invalid(id, $"\"core\" không hợp lệ ('{String(root, "core")}'), ví dụ đúng: \">=1.0.0 <2.0.0\"",
                $"\"core\" is invalid ('{String(root, "core")}'); write it like \">=1.0.0 <2.0.0\"");
        }

        var assembly = String(root, "assembly");
        if (string.IsNullOrWhiteSpace(assembly) || !assembly.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            || assembly.Contains('/') || assembly.Contains('\\'))
        {
            throw Invalid(id, "\"assembly\" phải là tên tệp .dll của mô-đun, nằm cạnh module.json",
                "\"assembly\" must be the file name of the module's .dll, next to module.json");
        }

        var dependencies = new List<string>();
        if (root.TryGetProperty("dependencies", out var deps))
        {
            if (deps.ValueKind != JsonValueKind.Array || deps.EnumerateArray().Any(d => d.ValueKind != JsonValueKind.String || !IsValidId(d.GetString())))
            {
                throw Invalid(id, "\"dependencies\" phải là danh sách id mô-đun, ví dụ [\"members\"]",
                    "\"dependencies\" must be a list of module ids, like [\"members\"]");
            }

            dependencies.AddRange(deps.EnumerateArray().Select(d => d.GetString()!).Distinct());
        }

        return new ModuleManifest(id, nameVi, string.IsNullOrWhiteSpace(nameEn) ? nameVi : nameEn, version, core, assembly, dependencies);
    }

    private static string? String(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static ModuleLoadException Invalid(string id, string vi, string en) =>
        new(id, $"{FileName} sai: {vi}", $"{FileName} is wrong: {en}");
}
