using System.CommandLine;
using DangVu.Core.Abstractions.Security;
using DangVu.Core.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Host.Cli;

/// <summary>The <c>dangvu</c> command line: one verb per administrative task, help on every verb.</summary>
internal static class DangVuCli
{
    /// <summary>Every verb takes the installation folder; it defaults to <c>DANGVU_HOME</c> or ./.dangvu.</summary>
    public static readonly Option<string?> Home = new("--home")
    {
        Description = "Thư mục cài đặt (installation folder); mặc định DANGVU_HOME hoặc ./.dangvu",
        Recursive = true,
    };

    public static RootCommand Build()
    {
        var root = new RootCommand(
            "DangVu — nền tảng công tác đảng vụ (Party affairs platform). Lệnh của mô-đun (a module's verbs): dangvu <mô-đun (module)> --help");
        root.Options.Add(Home);
        root.Subcommands.Add(ServeCommand.Build());
        root.Subcommands.Add(ModulesCommand.Build());
        root.Subcommands.Add(DbCommand.Build());
        root.Subcommands.Add(OrgCommand.Build());
        root.Subcommands.Add(CalendarCommand.Build());
        root.Subcommands.Add(UsersCommand.Build());
        root.Subcommands.Add(AuditCommand.Build());
        root.Subcommands.Add(FederationCommand.Build());
        return root;
    }

    public static Task<int> RunAsync(string[] args)
    {
        // Piped into a file or a script, tables keep their rows on one line each.
        if (Console.IsOutputRedirected)
        {
            Spectre.Console.AnsiConsole.Profile.Width = 240;
        }

        var root = Build();
        return ModuleVerbs.ModuleId(root, args) is { } moduleId
            ? ModuleVerbs.RunAsync(root, moduleId, args)
            : root.Parse(args).InvokeAsync();
    }

    /// <summary>Opens the installation named on the command line; <paramref name="quiet"/> keeps logs to warnings for one-shot verbs.</summary>
    public static DangVuInstallation OpenInstallation(ParseResult parse, bool quiet = false, IDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>(overrides ?? new Dictionary<string, string?>());
        if (quiet)
        {
            settings.TryAdd("Logging:LogLevel:Default", "Warning");
            settings.TryAdd("Logging:LogLevel:Microsoft.Hosting.Lifetime", "Warning");
        }

        return DangVuInstallation.Open(parse.GetValue(Home), settings);
    }

    /// <summary>
    /// Runs a verb against the installation's services (storage migrated, roles seeded), as the
    /// administrator at the server's command line.
    /// </summary>
    public static async Task<int> WithServicesAsync(ParseResult parse, CancellationToken cancellationToken, Func<IServiceProvider, Task<int>> action)
    {
        var installation = OpenInstallation(parse, quiet: true);
        await using var app = await DangVuApplication.BuildAsync(installation, cancellationToken: cancellationToken);
        await using var scope = app.Services.CreateAsyncScope();
        using var actor = AsAdministrator();
        return await action(scope.ServiceProvider);
    }

    /// <summary>The person at the server's command line, who may do everything.</summary>
    public static IDisposable AsAdministrator() => Actor.Use(new Actor(ActorKind.Cli, "cli:" + Environment.UserName));
}
