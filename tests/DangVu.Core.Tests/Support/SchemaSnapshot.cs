using System.Data.Common;
using DangVu.Core.Events;
using DangVu.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DangVu.Core.Tests.Support;

/// <summary>
/// A provider-neutral description of one module's tables, columns and indexes, read from the
/// database's own catalogue, so that two ways of building a schema can be compared.
/// </summary>
internal static class SchemaSnapshot
{
    private static readonly string[] EfBookkeeping = ["__EFMigrationsHistory", "__EFMigrationsLock"];

    /// <summary>
    /// Builds a context's schema twice, by its migrations (as <paramref name="moduleId"/>) and from
    /// its model (as <paramref name="moduleId"/>-model), and describes both with the schema names
    /// made equal, so a test can require them to match.
    /// </summary>
    public static async Task<(List<string> ByMigrations, List<string> ByModel)> MigrationsAndModelAsync(
        StorageSettings settings, Type contextType, string moduleId)
    {
        Directory.CreateDirectory(settings.DatabaseDirectory);
        await using (var migrated = Create(contextType, settings, moduleId))
        {
            await migrated.Database.MigrateAsync();
        }

        await using (var modelled = Create(contextType, settings, moduleId + "-model"))
        {
            var creator = modelled.GetService<IRelationalDatabaseCreator>();
            if (!await creator.ExistsAsync())
            {
                await creator.CreateAsync();
            }

            await creator.CreateTablesAsync();
        }

        var byMigrations = await DescribeAsync(settings, moduleId);
        var byModel = (await DescribeAsync(settings, moduleId + "-model"))
            .Select(l => l.Replace("<schema>_model", "<schema>", StringComparison.Ordinal)).ToList();
        return (byMigrations, byModel);
    }

    public static DbContext Create(Type contextType, StorageSettings settings, string moduleId)
    {
        var builder = (DbContextOptionsBuilder)Activator.CreateInstance(typeof(DbContextOptionsBuilder<>).MakeGenericType(contextType))!;
        builder.UseModuleStorage(settings, moduleId, "node-test", new ModuleStorageHooks(settings, new OutboxSignal()));
        return (DbContext)Activator.CreateInstance(contextType, builder.Options)!;
    }

    public static async Task<List<string>> TablesAsync(StorageSettings settings, string moduleId) =>
        (await DescribeAsync(settings, moduleId, includeBookkeeping: true))
            .Where(line => line.StartsWith("table ", StringComparison.Ordinal))
            .Select(line => line["table ".Length..])
            .ToList();

    public static async Task<List<string>> DescribeAsync(StorageSettings settings, string moduleId, bool includeBookkeeping = false)
    {
        var lines = settings.Provider == StorageProvider.Sqlite
            ? await DescribeSqliteAsync(settings.SqliteFileOf(moduleId))
            : await DescribePostgresAsync(settings.ConnectionString!, StorageSettings.SchemaOf(moduleId));
        return lines
            .Where(l => includeBookkeeping || !EfBookkeeping.Any(b => l.Contains(b, StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static async Task<List<string>> DescribeSqliteAsync(string file)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        var lines = new List<string>();
        var tables = await QueryAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", r => r.GetString(0));
        foreach (var table in tables)
        {
            lines.Add("table " + table);
            lines.AddRange(await QueryAsync(connection,
                $"SELECT name, type, \"notnull\", pk FROM pragma_table_info('{table}')",
                r => $"column {table}.{r.GetString(0)} {r.GetString(1)} notnull={r.GetInt64(2)} pk={r.GetInt64(3)}"));
            var indexes = await QueryAsync(connection,
                $"SELECT name, \"unique\" FROM pragma_index_list('{table}') WHERE origin = 'c'",
                r => (Name: r.GetString(0), Unique: r.GetInt64(1)));
            foreach (var (name, unique) in indexes)
            {
                var columns = await QueryAsync(connection, $"SELECT name FROM pragma_index_info('{name}') ORDER BY seqno", r => r.GetString(0));
                lines.Add($"index {table}.{name} unique={unique} ({string.Join(",", columns)})");
            }
        }

        return lines;
    }

    private static async Task<List<string>> DescribePostgresAsync(string connectionString, string schema)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var lines = new List<string>();
        lines.AddRange(await QueryAsync(connection,
            $"SELECT table_name FROM information_schema.tables WHERE table_schema = '{schema}' AND table_type = 'BASE TABLE'",
            r => "table " + r.GetString(0)));
        lines.AddRange(await QueryAsync(connection,
            "SELECT table_name, column_name, data_type, is_nullable, coalesce(character_maximum_length, -1), is_identity " +
            $"FROM information_schema.columns WHERE table_schema = '{schema}'",
            r => $"column {r.GetString(0)}.{r.GetString(1)} {r.GetString(2)}({r.GetInt32(4)}) nullable={r.GetString(3)} identity={r.GetString(5)}"));
        lines.AddRange(await QueryAsync(connection,
            $"SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = '{schema}'",
            r => $"index {r.GetString(0)}.{r.GetString(1)} {r.GetString(2).Replace(schema, "<schema>", StringComparison.Ordinal)}"));
        return lines;
    }

    private static async Task<List<T>> QueryAsync<T>(DbConnection connection, string sql, Func<DbDataReader, T> read)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
