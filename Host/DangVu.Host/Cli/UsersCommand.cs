using System.CommandLine;
using DangVu.Core.Authorization;
using DangVu.Core.Identity;
using DangVu.Core.Platform;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace DangVu.Host.Cli;

/// <summary><c>dangvu users …</c>: accounts and their roles.</summary>
internal static class UsersCommand
{
    public static Command Build() =>
        new("users", "Tài khoản người dùng và phân quyền (user accounts and roles)")
        {
            Add(), List(), Toggle("disable", true), Toggle("enable", false), ResetPassword(), Grant(), Revoke(),
        };

    private static Command Add()
    {
        var userName = new Argument<string>("user-name") { Description = "Tên đăng nhập (user name)" };
        var name = new Option<string>("--name") { Description = "Họ và tên (display name)", Required = true };
        var admin = new Option<bool>("--admin") { Description = "Quản trị hệ thống trên toàn bộ cài đặt (administrator of the whole installation)" };
        var command = new Command("add", "Tạo tài khoản; mật khẩu tạm được in ra (create an account; a temporary password is printed)") { userName, name, admin };
        CliAction.Set(command, (parse, cancellationToken) => DangVuCli.WithServicesAsync(parse, cancellationToken, async services =>
        {
            var (user, password) = await services.GetRequiredService<UserService>()
                .CreateAsync(parse.GetValue(userName)!, parse.GetValue(name)!, null, cancellationToken);
            if (parse.GetValue(admin))
            {
                await services.GetRequiredService<GrantService>().GrantAsync(user.UserName, BuiltInRoles.Administrator, null, true, cancellationToken);
            }

            AnsiConsole.MarkupLine($"[green]Đã tạo (created)[/] {Markup.Escape(user.UserName)}. Mật khẩu tạm, phải đổi khi đăng nhập lần đầu (temporary password, to be changed at first sign-in):");
            Console.Out.WriteLine(password);
            return CliAction.Ok;
        }));
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "Liệt kê tài khoản và vai trò (list accounts and roles)");
        CliAction.Set(command, (parse, cancellationToken) => DangVuCli.WithServicesAsync(parse, cancellationToken, async services =>
        {
            var users = await services.GetRequiredService<UserService>().ListAsync(cancellationToken);
            var directory = services.GetRequiredService<OrganisationDirectory>();
            var grants = services.GetRequiredService<GrantService>();
            var table = new Table().AddColumns("Tên đăng nhập (user)", "Họ tên (name)", "Trạng thái (state)", "Vai trò (roles)");
            foreach (var user in users)
            {
                var roles = new List<string>();
                foreach (var grant in await grants.GrantsOfAsync(user.Id, cancellationToken))
                {
                    var org = grant.OrgUnitId is { } id ? (await directory.FindAsync(id, cancellationToken))?.Code ?? "?" : "*";
                    roles.Add($"{grant.RoleCode}@{org}{(grant.IncludeDescendants && grant.OrgUnitId is not null ? "+" : "")}");
                }

                var state = user.Disabled ? "[red]vô hiệu (disabled)[/]"
                    : user.LockedUntil > DateTime.UtcNow ? "[yellow]tạm khóa (locked)[/]"
                    : user.MustChangePassword ? "chờ đổi mật khẩu (must change password)"
                    : "[green]hoạt động (active)[/]";
                table.AddRow(Markup.Escape(user.UserName), Markup.Escape(user.DisplayName), state, Markup.Escape(string.Join(", ", roles)));
            }

            AnsiConsole.Write(table);
            return CliAction.Ok;
        }));
        return command;
    }

    private static Command Toggle(string verb, bool disable)
    {
        var userName = new Argument<string>("user-name") { Description = "Tên đăng nhập (user name)" };
        var command = new Command(verb, disable ? "Vô hiệu hóa tài khoản (disable an account)" : "Kích hoạt lại tài khoản (enable an account)") { userName };
        CliAction.Set(command, (parse, cancellationToken) => DangVuCli.WithServicesAsync(parse, cancellationToken, async services =>
        {
            await services.GetRequiredService<UserService>().SetDisabledAsync(parse.GetValue(userName)!, disable, cancellationToken);
            AnsiConsole.MarkupLine(disable ? "[green]Đã vô hiệu hóa (disabled).[/]" : "[green]Đã kích hoạt (enabled).[/]");
            return CliAction.Ok;
        }));
        return command;
    }

    private static Command ResetPassword()
    {
        var userName = new Argument<string>("user-name") { Description = "Tên đăng nhập (user name)" };
        var command = new Command("reset-password", "Đặt mật khẩu tạm mới và mở khóa (set a new temporary password and unlock)") { userName };
        CliAction.Set(command, (parse, cancellationToken) => DangVuCli.WithServicesAsync(parse, cancellationToken, async services =>
        {
            var password = await services.GetRequiredService<UserService>().ResetPasswordAsync(parse.GetValue(userName)!, cancellationToken);
            AnsiConsole.MarkupLine("Mật khẩu tạm mới, phải đổi khi đăng nhập (new temporary password, to be changed at sign-in):");
            Console.Out.WriteLine(password);
            return CliAction.Ok;
        }));
        return command;
    }

    private static Command Grant()
    {
        var (userName, role, org, command) = GrantArguments("grant", "Giao vai trò tại một tổ chức (grant a role for an organisation)");
        var descendants = new Option<bool>("--with-descendants") { Description = "Kể cả các tổ chức trực thuộc (including the organisations below)" };
        command.Options.Add(descendants);
        CliAction.Set(command, (parse, cancellationToken) => DangVuCli.WithServicesAsync(parse, cancellationToken, async services =>
        {
            await services.GetRequiredService<GrantService>().GrantAsync(
                parse.GetValue(userName)!, parse.GetValue(role)!, parse.GetValue(org), parse.GetValue(descendants), cancellationToken);
            AnsiConsole.MarkupLine("[green]Đã giao vai trò (granted).[/]");
            return CliAction.Ok;
        }));
        return command;
    }

    private static Command Revoke()
    {
        var (userName, role, org, command) = GrantArguments("revoke", "Thu hồi vai trò (revoke a role)");
        CliAction.Set(command, (parse, cancellationToken) => DangVuCli.WithServicesAsync(parse, cancellationToken, async services =>
        {
            await services.GetRequiredService<GrantService>().RevokeAsync(parse.GetValue(userName)!, parse.GetValue(role)!, parse.GetValue(org), cancellationToken);
            AnsiConsole.MarkupLine("[green]Đã thu hồi (revoked).[/]");
            return CliAction.Ok;
        }));
        return command;
    }

    private static (Argument<string> User, Argument<string> Role, Option<string?> Org, Command Command) GrantArguments(string verb, string description)
    {
        var userName = new Argument<string>("user-name") { Description = "Tên đăng nhập (user name)" };
        var role = new Argument<string>("role") { Description = string.Join(", ", BuiltInRoles.All.Select(r => $"{r.Code} ({r.NameVi})")) };
        var org = new Option<string?>("--org") { Description = "Mã tổ chức; bỏ trống chỉ với admin = toàn bộ (organisation code; omit only for admin = everywhere)" };
        return (userName, role, org, new Command(verb, description) { userName, role, org });
    }
}
