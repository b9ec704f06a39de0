using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DangVu.Host.Tests;

/// <summary>
/// A fresh installation folder on one storage provider: SQLite files in the folder, or a database
/// of its own on the test PostgreSQL server. Removed on dispose.
/// </summary>
internal sealed class TestInstallation : IAsyncDisposable
{
    private readonly string? _database;

    public TestInstallation(string provider = "sqlite")
    {
        Home = TestPaths.NewTempDirectory("e2e");
        Cli = new DangVuCommand(Home);
        Provider = provider;
        if (provider == "postgresql")
        {
            _database = "dv_e2e_" + Guid.NewGuid().ToString("N")[..12];
            ExecuteOnServer($"CREATE DATABASE {_database}");
            Cli.Environment["DANGVU__Storage__Provider"] = "postgresql";
            Cli.Environment["DANGVU__Storage__ConnectionString"] = ConnectionString;
        }
    }

    public string Home { get; }

    public string Provider { get; }

    public DangVuCommand Cli { get; }

    public string Plugins => Path.Combine(Home, "plugins");

    private string ConnectionString => new NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString) { Database = _database }.ConnectionString;

    /// <summary>Packs a fixture's build output with <c>dangvu modules pack</c> and installs it with <c>dangvu modules install</c>.</summary>
    public Task InstallFixtureAsync(string project) => InstallAsync(TestPaths.FixtureOutput(project));

    /// <summary>Packs and installs a first-party module from <c>Modules/&lt;name&gt;</c>'s build output.</summary>
    public Task InstallModuleAsync(string name) =>
        InstallAsync(Path.Combine(TestPaths.RepoRoot, "Modules", name, "bin", TestPaths.Configuration, "net10.0"));

    private async Task InstallAsync(string buildOutput)
    {
        var packages = Path.Combine(Home, "packages");
        var pack = await Cli.RunAsync("modules", "pack", buildOutput, "--output", packages);
        pack.ExitCode.Should().Be(0, pack.Output);
        var install = await Cli.RunAsync("modules", "install", pack.Stdout.Trim());
        install.ExitCode.Should().Be(0, install.Output);
    }

    /// <summary>Runs one query against a module's own database file or schema.</summary>
    public async Task<T> QueryAsync<T>(string moduleId, string sql)
    {
        await using DbConnection connection = Provider == "sqlite"
            ? new SqliteConnection($"Data Source={Path.Combine(Home, "data", "db", moduleId + ".db")};Pooling=False")
            : new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = Provider == "sqlite" ? sql : $"SET search_path TO m_{moduleId.Replace('-', '_')}; {sql}";
        var value = await command.ExecuteScalarAsync();
        return (T)Convert.ChangeType(value!, typeof(T));
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            NpgsqlConnection.ClearAllPools();
            ExecuteOnServer($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
        }

        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
            // Left for the system's temp cleaning.
        }

        await Task.CompletedTask;
    }

    private static void ExecuteOnServer(string sql)
    {
        using var connection = new NpgsqlConnection(TestPostgres.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
