using DangVu.Core.Abstractions.Modules;
using DangVu.Core.Modules;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Core.Tests.Modules;

/// <summary>What a module declares through <see cref="IModuleBuilder"/>, checked as it declares it.</summary>
public sealed class ModuleBuilderTests
{
    [Fact]
    public void A_command_line_verb_is_kept_with_its_handler_and_a_second_verb_of_the_same_name_is_refused()
    {
        var services = new ServiceCollection();
        var builder = new ModuleBuilder(new ModuleContext("notes", "Ghi chú", "Notes", new Version(1, 0, 0), Path.GetTempPath(), "node-test"), services, new ConfigurationBuilder().Build());
        var verb = new ModuleCommand("import", "Nhập", "import");

        builder.AddCommand<Handler>(verb);
        var again = () => builder.AddCommand<Handler>(verb with { DescriptionEn = "import again" });

        builder.Commands.Should().ContainSingle().Which.Should().Be(new ModuleCommandRegistration("notes", verb, typeof(Handler)));
        services.Should().ContainSingle(s => s.ServiceType == typeof(Handler) && s.Lifetime == ServiceLifetime.Scoped);
        again.Should().Throw<InvalidOperationException>().WithMessage("*'import'*hai lần*declared twice*");
    }

    private sealed class Handler : IModuleCommandHandler
    {
        public Task<int> RunAsync(ModuleCommandInvocation invocation, CancellationToken cancellationToken) => Task.FromResult(0);
    }
}
