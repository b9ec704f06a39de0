using System.CommandLine;
using DangVu.Contracts.Core.V1;
using DangVu.Core.Abstractions.Modules;
using DangVu.Core.Hosting;
using DangVu.Core.Modules;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Host.Cli;

/// <summary>
/// <c>dangvu &lt;module-id&gt; &lt;verb&gt; …</c>: the verbs modules declare with
/// <see cref="IModuleBuilder.AddCommand{THandler}"/>. The host knows no module, so the modules are
/// loaded (and storage migrated, as by <c>db migrate</c>) before the command line is parsed.
/// </summary>
internal static class ModuleVerbs
{
    /// <summary>The first verb of <paramref name="args"/> when it is none of the host's own, else null.</summary>
    public static string? ModuleId(RootCommand root, IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == DangVuCli.Home.Name)
            {
                i++;
                continue;
            }

            if (args[i].StartsWith(DangVuCli.Home.Name + "=", StringComparison.Ordinal))
            {
                continue;
            }

            var verb = args[i];
            return verb.StartsWith('-') || verb.StartsWith('[') || root.Subcommands.Any(c => c.Name == verb) ? null : verb;
        }

        return null;
    }

    public static Task<int> RunAsync(RootCommand root, string moduleId, string[] args) =>
        CliAction.GuardAsync(async () =>
        {
            var installation = DangVuCli.OpenInstallation(root.Parse(args), quiet: true);
            await using var app = await DangVuApplication.BuildAsync(installation);
            var registry = app.Services.GetRequiredService<ModuleRegistry>();
            var entry = registry.Entries.FirstOrDefault(e => e.Id == moduleId);
            if (entry is null)
            {
                throw new CliException(
                    $"Không có lệnh hay mô-đun '{moduleId}' trong cài đặt này; xem 'dangvu --help' và 'dangvu modules list' " +
                    $"(no such verb or installed module '{moduleId}')");
            }

            if (!entry.IsLoaded)
            {
                throw new CliException(entry.State == ModuleState.Disabled
                    ? $"Mô-đun '{moduleId}' đang tắt; bật bằng 'dangvu modules enable {moduleId}' (the module is disabled)"
                    : $"Mô-đun '{moduleId}' không tải được (the module failed to load): {entry.Reason}");
            }

            var module = new Command(moduleId, $"{entry.Context!.NameVi} ({entry.Context.NameEn})");
            foreach (var registration in registry.Commands.Where(c => c.ModuleId == moduleId))
            {
                module.Subcommands.Add(Verb(registration, app.Services));
            }

            root.Subcommands.Add(module);
            return await root.Parse(args).InvokeAsync();
        }, CancellationToken.None);

    private static Command Verb(ModuleCommandRegistration registration, IServiceProvider services)
    {
        var declared = registration.Command;
        var command = new Command(declared.Name, $"{declared.DescriptionVi} ({declared.DescriptionEn})");
        var arguments = declared.Arguments.Select(a => (a.Name, Symbol: new Argument<string>(a.Name) { Description = $"{a.DescriptionVi} ({a.DescriptionEn})" })).ToList();
        var options = declared.Options.Select(o => (o.Name, Symbol: Option(o))).ToList();
        arguments.ForEach(a => command.Arguments.Add(a.Symbol));
        options.ForEach(o => command.Options.Add(o.Symbol));
        CliAction.Set(command, async (parse, cancellationToken) =>
        {
            var values = arguments.Select(a => (a.Name, parse.GetValue(a.Symbol)))
                .Concat(options.Select(o => (o.Name, parse.GetValue(o.Symbol))))
                .ToDictionary(v => v.Name, v => v.Item2);
            await using var scope = services.CreateAsyncScope();
            using var actor = DangVuCli.AsAdministrator();
            var handler = (IModuleCommandHandler)scope.ServiceProvider.GetRequiredService(registration.Handler);
            return await handler.RunAsync(new ModuleCommandInvocation(values, new TerminalConsole()), cancellationToken);
        });
        return command;
    }

    private static Option<string> Option(ModuleCommandOption declared)
    {
        var option = new Option<string>("--" + declared.Name, declared.Alias is { } alias ? [alias] : [])
        {
            Description = $"{declared.DescriptionVi} ({declared.DescriptionEn})",
            Required = declared.Required,
        };
        if (declared.AllowedValues is { } allowed)
        {
            option.AcceptOnlyFromAmong([.. allowed]);
        }

        return option;
    }
}
