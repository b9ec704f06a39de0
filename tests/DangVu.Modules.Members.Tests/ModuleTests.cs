using System.Text.Json;
using DangVu.Contracts.Members.V1;
using DangVu.Core.Abstractions.Events;
using DangVu.Core.Abstractions.Modules;
using DangVu.Core.Abstractions.Storage;
using DangVu.Modules.Members.Application;
using DangVu.Modules.Members.Storage;
using Google.Protobuf;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Modules.Members.Tests;

public sealed class ModuleTests
{
    [Fact]
    public void The_module_declares_its_storage_five_permissions_and_the_discipline_subscription()
    {
        var builder = new RecordingBuilder();

        new MembersModule().ConfigureServices(builder);

        builder.Storage.Should().Be(typeof(MembersDbContext));
        builder.Permissions.Select(p => p.Name).Should().Equal(
            "members.read", "members.write", "members.lifecycle", "members.dues", "members.rules.manage");
        builder.Permissions.Should().OnlyContain(p => p.DescriptionVi.Length > 0 && p.DescriptionEn.Length > 0);
        builder.Subscriptions.Should().Equal((typeof(DisciplineRecorded), typeof(DisciplineRecordedHandler)));
        builder.Services.Should().Contain(s => s.ServiceType == typeof(AdmissionService));
    }

    [Fact]
    public void The_manifest_names_the_module_members_and_its_assembly()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "module.json")));
        manifest.RootElement.GetProperty("id").GetString().Should().Be("members");
        manifest.RootElement.GetProperty("assembly").GetString().Should().Be("DangVu.Modules.Members.dll");
        manifest.RootElement.GetProperty("name").GetProperty("vi").GetString().Should().Be("Đảng viên");
    }

    [Fact]
    public void Integration_events_are_routed_by_their_protobuf_names() =>
        new[] { MemberAdmitted.Descriptor, MemberTransferred.Descriptor, MemberLeft.Descriptor, DisciplineRecorded.Descriptor }
            .Select(d => d.FullName).Should().Equal(
                "dangvu.members.v1.MemberAdmitted", "dangvu.members.v1.MemberTransferred", "dangvu.members.v1.MemberLeft", "dangvu.members.v1.DisciplineRecorded");

    private sealed class RecordingBuilder : IModuleBuilder
    {
        public ModuleContext Context { get; } = new("members", "Đảng viên", "Party members", new Version(1, 0, 0), Path.GetTempPath(), "node-test");
        public IServiceCollection Services { get; } = new ServiceCollection();
        public IConfiguration Configuration { get; } = new ConfigurationBuilder().Build();
        public Type? Storage { get; private set; }
        public List<PermissionDefinition> Permissions { get; } = [];
        public List<(Type, Type)> Subscriptions { get; } = [];

        public IModuleBuilder AddStorage<TContext>() where TContext : ModuleDbContext
        {
            Storage = typeof(TContext);
            return this;
        }

        public IModuleBuilder AddPermissions(params PermissionDefinition[] permissions)
        {
            Permissions.AddRange(permissions);
            return this;
        }

        public IModuleBuilder AddNavigation(params NavigationItem[] items) => this;

        public IModuleBuilder AddCommand<THandler>(ModuleCommand command) where THandler : class, IModuleCommandHandler => this;

        public IModuleBuilder Subscribe<TEvent, THandler>()
            where TEvent : IMessage<TEvent>, new()
            where THandler : class, IIntegrationEventHandler<TEvent>
        {
            Subscriptions.Add((typeof(TEvent), typeof(THandler)));
            return this;
        }
    }
}
