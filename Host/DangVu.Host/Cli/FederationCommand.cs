using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DangVu.Core.Federation;
using DangVu.Core.Federation.Storage;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace DangVu.Host.Cli;

/// <summary><c>dangvu federation …</c>: the node's identity, enrolment with a parent, links and sync.</summary>
internal static class FederationCommand
{
    public static Command Build() =>
        new("federation", "Liên kết các nút theo hệ thống tổ chức đảng (federation of nodes along the Party tree)")
        {
            Init(), Request(), Requests(), Approve(), Accept(), Revoke(), Reclassify(), Status(), Sync(),
        };

    private static Command Init()
    {
        var root = new Option<bool>("--root") { Description = "Nút gốc: tự cấp chứng chỉ nút (a root node: issues its own node certificate)" };
        var hosts = new Option<string[]>("--host")
        {
            Description = "Tên máy hoặc địa chỉ IP của nút trong chứng chỉ TLS (host names or IP addresses for the TLS certificate)",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("init", "Tạo khoá nút, CA của nút và chứng chỉ TLS (create the node key, node CA and TLS certificate)") { root, hosts };
        CliAction.Set(command, (parse, _) =>
        {
            var installation = DangVuCli.OpenInstallation(parse, quiet: true);
            var keys = new NodeKeys(installation);
            keys.Initialise(parse.GetValue(root), parse.GetValue(hosts) ?? []);
            AnsiConsole.MarkupLine($"[green]Đã tạo khoá cho nút (keys created for node)[/] {Markup.Escape(keys.NodeId)} — {Markup.Escape(keys.Directory)}");
            Console.Out.WriteLine(keys.NodeId);
            return Task.FromResult(CliAction.Ok);
        });
        return command;
    }

    private static Command Request()
    {
        var parent = new Option<string>("--parent") { Description = "Địa chỉ gRPC của nút cha, https://… (the parent's gRPC address)", Required = true };
        var command = new Command("request", "Gửi yêu cầu tham gia đến nút cha; in mã yêu cầu (send an enrolment request to the parent; prints its id)") { parent };
        CliAction.Set(command, (parse, cancellationToken) => DangVuCli.WithServicesAsync(parse, cancellationToken, async services =>
        {
            var id = await services.GetRequiredService<FederationAdmin>().RequestAsync(parse.GetValue(parent)!, cancellationToken);
            CliAction.Note("Đã gửi yêu cầu; quản trị viên nút cha duyệt bằng 'dangvu federation approve' (request sent; the parent's administrator approves it with 'dangvu federation approve'):");
            Console.Out.WriteLine(id);
            return CliAction.Ok;
        }));
        return command;
    }

    private static Command Requests()
    {
        var command = new Command("requests", "Các yêu cầu tham gia đang chờ duyệt (pending enrolment requests)");
        CliAction.Set(command, (parse, cancellationToken) => DangVuCli.WithServicesAsync(parse, cancellationToken, async services =>
        {
            var table = new Table().AddColumns("Mã (id)", "Nút (node)", "Tự khai sở hữu (says it owns)", "Từ (from)", "Lúc (at, UTC)");
            foreach (var request in await services.GetRequiredService<FederationAdmin>().RequestsAsync(cancellationToken))
            {
                table.AddRow(request.Id, Markup.Escape(request.NodeId), Markup.Escape(request.Owns), Markup.Escape(request.Address ?? ""),
                    request.RequestedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            return CliAction.Ok;
        }));
        return command;
    }

    private static Command Approve()
    {
        var id = new Argument<string>("request-id") { Description = "Mã yêu cầu (the request id)" };
        var subtree = new Option<string>("--subtree") { Description = "Mã tổ chức gốc của nhánh nút con sở hữu (the org code of the subtree the child owns)", Required = true };
        var network = new Option<string>("--network") { Description = "internal (mạng nội bộ của Đảng) hoặc internet", Required = true };
        network.AcceptOnlyFromAmong("internal", "internet");
        var command = new Command("approve", "Duyệt yêu cầu, ký chứng chỉ; in mã dùng một lần (approve a request and sign it; prints a one-time code)") { id, subtree, network };
        CliAction.Set(command, (parse, cancellationToken) => DangVuCli.WithServicesAsync(parse, cancellationToken, async services =>
        {
            var networkClass = parse.GetValue(network) == "internet" ? NetworkClass.Internet : NetworkClass.Internal;
            var code = await services.GetRequiredService<FederationAdmin>().ApproveAsync(parse.GetValue(id)!, parse.GetValue(subtree)!, networkClass, cancellationToken);
            CliAction.Note("Đã duyệt. Mã dùng một lần, chuyển cho quản trị viên nút con (approved; one-time code for the child's administrator):");
            Console.Out.WriteLine(code);
            return CliAction.Ok;
        }));
        return command;
    }

    private static Command Accept()
    {
        var code = new Option<string>("--code") { Description = "Mã dùng một lần từ nút cha (the one-time code from the parent)", Required = true };
        var command = new Command("accept", "Nhận chứng chỉ từ nút cha bằng mã dùng một lần (fetch the certificate from the parent with the one-time code)") { code };
        CliAction.Set(command, (parse, cancellationToken) => DangVuCli.WithServicesAsync(parse, cancellationToken, async services =>
        {
            var link = await services.GetRequiredService<FederationAdmin>().AcceptAsync(parse.GetValue(code)!, cancellationToken);
            AnsiConsole.MarkupLine($"[green]Đã liên kết với nút cha (linked to parent)[/] {Markup.Escape(link.NodeId)}: {Markup.Escape(link.Subtree)}, {link.Network.ToString().ToLowerInvariant()}");
            return CliAction.Ok;
        }));
        return command;
    }

    private static Command Revoke()
    {
        var node = new Argument<string>("node") { Description = "Mã nút con (the child's node id)" };
        var command = new Command("revoke", "Thu hồi nút con: bị từ chối ngay (revoke a child: refused at once)") { node };
        CliAction.Set(command, (parse, cancellationToken) => DangVuCli.WithServicesAsync(parse, cancellationToken, async services =>
        {
            await services.GetRequiredService<FederationAdmin>().RevokeAsync(parse.GetValue(node)!, cancellationToken);
            AnsiConsole.MarkupLine($"[yellow]Đã thu hồi (revoked)[/] {Markup.Escape(parse.GetValue(node)!)}");
            return CliAction.Ok;
        }));
        return command;
    }

    private static Command Reclassify()
    {
        var node = new Argument<string>("node") { Description = "Mã nút con (the child's node id)" };
        var network = new Option<string>("--network") { Description = "internal (mạng nội bộ của Đảng) hoặc internet", Required = true };
        network.AcceptOnlyFromAmong("internal", "internet");
        var command = new Command("reclassify", "Đổi loại mạng của liên kết với nút con (change the network class of a child's link)") { node, network };
        CliAction.Set(command, (parse, cancellationToken) => DangVuCli.WithServicesAsync(parse, cancellationToken, async services =>
        {
            var networkClass = parse.GetValue(network) == "internet" ? NetworkClass.Internet : NetworkClass.Internal;
            await services.GetRequiredService<FederationAdmin>().ReclassifyAsync(parse.GetValue(node)!, networkClass, cancellationToken);
            AnsiConsole.MarkupLine($"[green]Đã đổi loại mạng (reclassified)[/] {Markup.Escape(parse.GetValue(node)!)}: {parse.GetValue(network)}");
            return CliAction.Ok;
        }));
        return command;
    }

    private static Command Status()
    {
        var json = new Option<bool>("--json") { Description = "In JSON (print JSON)" };
        var command = new Command("status", "Trạng thái các liên kết (state of each link)") { json };
        CliAction.Set(command, (parse, cancellationToken) => DangVuCli.WithServicesAsync(parse, cancellationToken, async services =>
        {
            var status = await services.GetRequiredService<FederationStatus>().ReadAsync(cancellationToken);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(status, FederationStatus.Json));
                return CliAction.Ok;
            }

            AnsiConsole.MarkupLine($"Nút (node) {Markup.Escape(status.NodeId)}{(status.Root ? " — gốc (root)" : "")}{(status.Initialised ? "" : " — [yellow]chưa khởi tạo (not initialised)[/]")}");
            var table = new Table().AddColumns("Nút (node)", "Vai trò (role)", "Trạng thái (state)", "Nhánh (subtree)", "Mạng (network)",
                "Lần thành công cuối (last success, UTC)", "Thay đổi (changes)", "Chưa gửi (lag, changes)", "Giữ lại (held back)", "Lỗi cuối (last error)");
            foreach (var link in status.Links)
            {
                table.AddRow(Markup.Escape(link.Node), link.Role, link.State, Markup.Escape(link.Subtree), link.Network,
                    link.LastSuccessAt?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "—",
                    link.Changes.ToString(CultureInfo.InvariantCulture), link.Pending.ToString(CultureInfo.InvariantCulture), link.HeldBack.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(link.LastError ?? ""));
            }

            AnsiConsole.Write(table);
            return CliAction.Ok;
        }));
        return command;
    }

    private static Command Sync()
    {
        var command = new Command("sync", "Đồng bộ ngay với nút cha: gửi lên rồi nhận về (sync with the parent now: push, then pull)");
        CliAction.Set(command, (parse, cancellationToken) => DangVuCli.WithServicesAsync(parse, cancellationToken, async services =>
        {
            PushReport? report;
            try
            {
                report = await services.GetRequiredService<FederationPusher>().PushAsync(cancellationToken);
            }
            catch (Core.Abstractions.Rpc.RpcException ex)
            {
                CliAction.Error($"Nút cha từ chối hoặc không trả lời (the parent refused or did not answer): {ex.Status.StatusCode}: {ex.Status.Detail}");
                return CliAction.Failed;
            }
            catch (HttpRequestException ex)
            {
                CliAction.Error($"Không kết nối được nút cha (cannot reach the parent): {ex.Message}");
                return CliAction.Failed;
            }

            if (report is null)
            {
                CliAction.Error("Nút chưa có nút cha đang hoạt động (this node has no active parent)");
                return CliAction.Failed;
            }

            Console.Out.WriteLine($"pushed {report.Applied} applied, {report.Skipped} skipped, {report.HeldBack} held back, {report.Batches} batches → {report.Parent}; pulled {report.Pulled}");
            return CliAction.Ok;
        }));
        return command;
    }
}
