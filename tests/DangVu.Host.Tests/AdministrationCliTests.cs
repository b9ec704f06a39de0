using Microsoft.Data.Sqlite;

namespace DangVu.Host.Tests;

/// <summary>The organisation, account and audit verbs, through the real program.</summary>
public sealed class AdministrationCliTests : IAsyncLifetime
{
    private readonly TestInstallation _installation = new();

    private DangVuCommand Cli => _installation.Cli;

    [Fact]
    public async Task Org_import_with_errors_lists_them_by_line_exits_1_and_saves_nothing()
    {
        var csv = Path.Combine(_installation.Home, "bad.csv");
        await File.WriteAllTextAsync(csv, "code,name,kind,parent,valid_from,valid_to\nHN,Hà Nội,Đảng bộ tỉnh/thành phố,,2025-07-01,\nHN.1,Chi bộ,Ban,HN,2025-07-01,\n");

        var result = await Cli.RunAsync("org", "import", csv);

        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("Dòng 3: loại 'Ban' không có").And.Contain("không có gì được lưu");
        (await Cli.RunAsync("org", "list", "--json")).Stdout.Trim().Should().Be("[]");
    }

    [Fact]
    public async Task Calendar_lists_the_shipped_days_and_an_import_replaces_a_year()
    {
        var shipped = await Cli.RunAsync("calendar", "list", "--year", "2026");
        shipped.ExitCode.Should().Be(0, shipped.Output);
        shipped.Stdout.Should().Contain("17/02/2026").And.Contain("Tết Nguyên đán Bính Ngọ").And.Contain("Thứ Ba");

        var csv = Path.Combine(_installation.Home, "lich-2026.csv");
        await File.WriteAllTextAsync(csv, "ngày,loại,tên\n2026-01-01,nghỉ,Tết Dương lịch\n2026-01-02,nghỉ,Nghỉ hoán đổi\n2026-01-10,làm bù,Làm bù\n");
        var imported = await Cli.RunAsync("calendar", "import", csv);
        imported.ExitCode.Should().Be(0, imported.Output);
        imported.Stdout.Should().Contain("3 ngày").And.Contain("2026");

        var replaced = await Cli.RunAsync("calendar", "list", "--year", "2026");
        replaced.Stdout.Should().Contain("10/01/2026").And.Contain("làm bù").And.NotContain("17/02/2026");
    }

    [Fact]
    public async Task Calendar_import_with_errors_names_the_lines_exits_1_and_keeps_the_calendar()
    {
        var csv = Path.Combine(_installation.Home, "lich-sai.csv");
        await File.WriteAllTextAsync(csv, "date,kind,name\n2026-03-07,nghỉ,Thứ Bảy\n2026-13-01,nghỉ,Tháng 13\n");

        var result = await Cli.RunAsync("calendar", "import", csv);

        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("Dòng 2:").And.Contain("Dòng 3:").And.Contain("không có gì được lưu");
        (await Cli.RunAsync("calendar", "list", "--year", "2026")).Stdout.Should().Contain("17/02/2026");
        (await Cli.RunAsync("calendar", "import", Path.Combine(_installation.Home, "khong-co.csv"))).Stderr.Should().Contain("Không tìm thấy tệp");
        (await Cli.RunAsync("calendar", "list", "--year", "99999")).ExitCode.Should().Be(1);
    }

    [Fact]
    public async Task Granting_a_role_on_an_unknown_organisation_is_refused()
    {
        (await Cli.RunAsync("users", "add", "lan.tt", "--name", "Trần Thị Lan")).ExitCode.Should().Be(0);

        var result = await Cli.RunAsync("users", "grant", "lan.tt", "secretary", "--org", "KHONG.CO");

        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("Không có tổ chức mã 'KHONG.CO'");
    }

    [Fact]
    public async Task Users_add_prints_a_temporary_password_that_must_be_changed()
    {
        var added = await Cli.RunAsync("users", "add", "an.nv", "--name", "Nguyễn Văn An", "--admin");
        var list = await Cli.RunAsync("users", "list");

        added.ExitCode.Should().Be(0, added.Output);
        added.Stdout.Trim().Split('\n').Last().Trim().Should().MatchRegex("^[A-Za-z0-9]{14}$");
        list.Stdout.Should().Contain("an.nv").And.Contain("Nguyễn Văn An").And.Contain("admin@*").And.Contain("chờ đổi mật khẩu");
    }

    [Fact]
    public async Task Audit_verify_passes_until_a_row_is_edited_in_the_database_then_names_the_entry()
    {
        (await Cli.RunAsync("users", "add", "an.nv", "--name", "Nguyễn Văn An", "--admin")).ExitCode.Should().Be(0);
        var intact = await Cli.RunAsync("audit", "verify");
        intact.ExitCode.Should().Be(0, intact.Output);
        intact.Stdout.Should().Contain("nguyên vẹn (intact)");

        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(_installation.Home, "data", "db", "core.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var tamper = connection.CreateCommand();
            tamper.CommandText = "UPDATE dv_audit SET \"ActorName\" = 'kẻ giả mạo' WHERE \"Operation\" = 'grant'";
            (await tamper.ExecuteNonQueryAsync()).Should().Be(1);
        }

        var broken = await Cli.RunAsync("audit", "verify");

        broken.ExitCode.Should().Be(1);
        broken.Stderr.Should().Contain("Nhật ký kiểm toán của 'core' bị sửa tại mục");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _installation.DisposeAsync();
}
