using System.Runtime.Loader;
using DangVu.Contracts.Core.V1;
using DangVu.Core.Abstractions.Modules;
using DangVu.Core.Hosting;
using DangVu.Core.Modules;
using DangVu.Core.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Core.Tests.Modules;

public sealed class ModuleLoaderTests : IDisposable
{
    private readonly PluginHome _home = new();

    [Fact]
    public void Installed_modules_load_after_the_modules_they_depend_on()
    {
        _home.WithNotesAndInbox();

        var entries = _home.Load();

        entries.Select(e => e.Id).Should().Equal("notes", "inbox");
        entries.Should().OnlyContain(e => e.State == ModuleState.Loaded);
        entries[0].Context!.NameVi.Should().Be("Ghi chú (mẫu kiểm thử)");
        entries[0].Instance.Should().BeAssignableTo<IModule>("the abstractions are shared with the host, so the cast works");
    }

    [Fact]
    public void Each_module_gets_its_own_load_context_and_its_own_version_of_a_private_library()
    {
        _home.WithNotesAndInbox();

        var entries = _home.Load();

        var notes = AssemblyLoadContext.GetLoadContext(_home.Entry(entries, "notes").Instance!.GetType().Assembly)!;
        var inbox = AssemblyLoadContext.GetLoadContext(_home.Entry(entries, "inbox").Instance!.GetType().Assembly)!;
        notes.Should().NotBeSameAs(inbox);
        notes.Should().NotBeSameAs(AssemblyLoadContext.Default);
        GreetingIn(notes).Should().Be((new Version(1, 0, 0, 0), "xin chào từ v1"));
        GreetingIn(inbox).Should().Be((new Version(2, 0, 0, 0), "xin chào từ v2"));
        notes.LoadFromAssemblyName(typeof(IModule).Assembly.GetName()).Should().BeSameAs(typeof(IModule).Assembly, "shared assemblies come from the host");
    }

    [Fact]
    public void A_malformed_manifest_fails_that_module_with_the_line_and_the_others_still_load()
    {
        _home.Install("Notes", "notes");
        Directory.CreateDirectory(Path.Combine(_home.Plugins, "broken"));
        File.WriteAllText(Path.Combine(_home.Plugins, "broken", "module.json"), "{\n  \"id\": \"broken\",\n  \"version\": \n}");

        var entries = _home.Load();

        _home.Entry(entries, "notes").State.Should().Be(ModuleState.Loaded);
        var broken = _home.Entry(entries, "broken");
        broken.State.Should().Be(ModuleState.Failed);
        broken.Reason.Should().Contain("module.json không phải JSON hợp lệ (dòng").And.Contain("is not valid JSON");
    }

    [Theory]
    [InlineData("\"version\": \"1.0.0\"", "\"version\": \"một\"", "\"version\" không hợp lệ")]
    [InlineData("\"id\": \"notes\"", "\"id\": \"Notes!\"", "\"id\" phải là chữ thường")]
    [InlineData("\"id\": \"notes\"", "\"id\": \"other\"", "nhưng thư mục là 'notes'")]
    [InlineData("\"vi\": \"Ghi chú (mẫu kiểm thử)\"", "\"vi\": \"\"", "thiếu tên tiếng Việt")]
    [InlineData("\"dependencies\": []", "\"dependencies\": \"inbox\"", "\"dependencies\" phải là danh sách")]
    public void An_invalid_manifest_field_is_named_in_the_reason(string field, string replacement, string expected)
    {
        _home.Install("Notes", "notes");
        _home.EditManifest("notes", json => json.Replace(field, replacement));

        var notes = _home.Entry(_home.Load(), "notes");

        notes.State.Should().Be(ModuleState.Failed);
        notes.Reason.Should().Contain(expected);
    }

    [Fact]
    public void A_missing_assembly_fails_the_module_and_says_to_reinstall()
    {
        _home.Install("Notes", "notes");
        File.Delete(Path.Combine(_home.Plugins, "notes", "DangVu.Fixtures.Notes.dll"));

        var notes = _home.Entry(_home.Load(), "notes");

        notes.State.Should().Be(ModuleState.Failed);
        notes.Reason.Should().Contain("không tìm thấy tệp DangVu.Fixtures.Notes.dll").And.Contain("reinstall");
    }

    [Fact]
    public void A_module_for_another_core_version_fails_and_names_both_versions()
    {
        _home.Install("Notes", "notes");
        _home.EditManifest("notes", json => json.Replace(">=1.0.0 <2.0.0", ">=2.0.0 <3.0.0"));

        var notes = _home.Entry(_home.Load(), "notes");

        notes.State.Should().Be(ModuleState.Failed);
        notes.Reason.Should().Contain("cần Core >=2.0.0 <3.0.0").And.Contain($"Core {ModuleLoader.CoreVersion.ToString(3)}");
    }

    [Fact]
    public void A_module_whose_dependency_is_not_installed_fails_and_names_it()
    {
        _home.Install("Inbox", "inbox");

        var inbox = _home.Entry(_home.Load(), "inbox");

        inbox.State.Should().Be(ModuleState.Failed);
        inbox.Reason.Should().Contain("cần mô-đun 'notes' nhưng mô-đun này chưa được cài");
    }

    [Fact]
    public void A_dependency_cycle_fails_every_module_in_it_and_names_the_cycle()
    {
        _home.WithNotesAndInbox();
        _home.EditManifest("notes", json => json.Replace("\"dependencies\": []", "\"dependencies\": [\"inbox\"]"));

        var entries = _home.Load();

        entries.Should().OnlyContain(e => e.State == ModuleState.Failed);
        _home.Entry(entries, "notes").Reason.Should().Contain("inbox → notes → inbox");
    }

    [Fact]
    public void A_disabled_module_is_not_loaded_and_its_dependents_say_why_they_fail()
    {
        _home.WithNotesAndInbox();
        new ModuleStateStore(_home.Installation.ModuleStatePath).SetEnabled("notes", enabled: false);

        var entries = _home.Load();

        _home.Entry(entries, "notes").State.Should().Be(ModuleState.Disabled);
        _home.Entry(entries, "inbox").Reason.Should().Contain("mô-đun đó đang tắt");
    }

    [Fact]
    public void A_module_that_throws_while_registering_fails_leaves_no_services_behind_and_fails_its_dependents()
    {
        _home.WithNotesAndInbox();
        _home.Settings["Modules:notes:FailRegistration"] = "true";
        var entries = _home.Load();
        var services = new ServiceCollection();

        ModuleRegistrar.Register(services, entries, _home.Installation.Configuration);

        _home.Entry(entries, "notes").Reason.Should().Contain("lỗi khi đăng ký dịch vụ").And.Contain("cấu hình kiểm thử yêu cầu lỗi");
        _home.Entry(entries, "inbox").Reason.Should().Contain("cần mô-đun 'notes' nhưng mô-đun đó bị lỗi");
        services.Should().BeEmpty();
    }

    [Fact]
    public async Task The_host_starts_without_a_broken_module()
    {
        _home.Install("Notes", "notes");
        _home.Install("Inbox", "inbox");
        _home.EditManifest("inbox", json => json.Replace("DangVu.Fixtures.Inbox.dll", "Missing.dll"));

        await using var app = await DangVuApplication.BuildAsync(_home.Installation);

        var registry = app.Services.GetRequiredService<ModuleRegistry>();
        registry.Loaded.Select(e => e.Id).Should().Equal("notes");
    }

    [Fact]
    public async Task The_host_refuses_to_start_when_a_required_module_fails_and_says_why()
    {
        _home.Install("Notes", "notes");
        _home.EditManifest("notes", json => json.Replace(">=1.0.0 <2.0.0", ">=9.0.0"));
        _home.Settings["Modules:Required"] = "notes";

        var start = async () => await DangVuApplication.BuildAsync(_home.Installation);

        var refusal = (await start.Should().ThrowAsync<ModuleLoadException>()).Which;
        refusal.Message.Should().Contain("bắt buộc").And.Contain("cần Core >=9.0.0");
    }

    [Fact]
    public async Task The_host_refuses_to_start_when_a_required_module_is_not_installed()
    {
        _home.Settings["Modules:Required"] = "members";

        var start = async () => await DangVuApplication.BuildAsync(_home.Installation);

        (await start.Should().ThrowAsync<ModuleLoadException>()).Which.Message.Should().Contain("'members'").And.Contain("chưa được cài");
    }

    public void Dispose() => _home.Dispose();

    private static (Version?, string?) GreetingIn(AssemblyLoadContext context)
    {
        var assembly = context.LoadFromAssemblyName(new System.Reflection.AssemblyName("DangVu.Fixtures.Greeting"));
        var text = (string?)assembly.GetType("DangVu.Fixtures.Greeting.Greeting")!.GetProperty("Text")!.GetValue(null);
        return (assembly.GetName().Version, text);
    }
}
