using System.CommandLine;
using DangVu.Core.Platform;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace DangVu.Host.Cli;

/// <summary><c>dangvu org …</c>: the Party organisation tree.</summary>
internal static class OrgCommand
{
    public static Command Build() => new("org", "Cây tổ chức đảng (the Party organisation tree)") { Import(), List() };

    private static Command Import() => CsvImportCommand.Create(
        "Nhập cây tổ chức từ CSV, tất cả hoặc không (import the tree from CSV, all or nothing)",
        "Tệp CSV: code,name,kind,parent,valid_from,valid_to",
        async (services, csv, cancellationToken) =>
        {
            var (created, updated) = await services.GetRequiredService<OrgImporter>().ImportAsync(csv, cancellationToken);
            return $"[green]Đã nhập (imported):[/] {created} tổ chức mới (new), {updated} cập nhật (updated).";
        });

    private static Command List()
    {
        var json = new Option<bool>("--json") { Description = "In dạng JSON, kèm id (print as JSON, with ids)" };
        var command = new Command("list", "In cây tổ chức (print the tree)") { json };
        CliAction.Set(command, (parse, cancellationToken) => DangVuCli.WithServicesAsync(parse, cancellationToken, async services =>
        {
            var all = await services.GetRequiredService<OrganisationDirectory>().AllAsync(cancellationToken);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(
                    all.Select(o => new { o.Id, o.Code, o.NameVi, Kind = o.Kind.ToString(), o.ParentId, o.ValidFrom, o.ValidTo }),
                    new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
                return CliAction.Ok;
            }

            if (all.Count == 0)
            {
                AnsiConsole.MarkupLine("Chưa có tổ chức nào; dùng 'dangvu org import <csv>' (no organisations yet).");
                return CliAction.Ok;
            }

            var children = all.Where(o => o.ParentId is not null).ToLookup(o => o.ParentId!.Value);
            var ids = all.Select(o => o.Id).ToHashSet();
            var tree = new Tree("Tổ chức (organisations)");
            foreach (var root in all.Where(o => o.ParentId is null || !ids.Contains(o.ParentId.Value)))
            {
                Add(tree.AddNode(Label(root)), root.Id);
            }

            AnsiConsole.Write(tree);
            return CliAction.Ok;

            void Add(TreeNode node, Guid id)
            {
                foreach (var child in children[id])
                {
                    Add(node.AddNode(Label(child)), child.Id);
                }
            }
        }));
        return command;
    }

    private static string Label(Core.Abstractions.Organisation.OrgUnitInfo unit) =>
        Markup.Escape($"{unit.Code} — {unit.NameVi} ({OrgUnitKinds.NameVi(unit.Kind)})")
        + (unit.ValidTo is { } end ? $" [grey]đã giải thể/sáp nhập {end:dd/MM/yyyy}[/]" : "");
}
