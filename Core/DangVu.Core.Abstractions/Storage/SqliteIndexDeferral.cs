using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace DangVu.Core.Abstractions.Storage;

/// <summary>
/// SQLite: a bulk insert into a table that holds few rows builds its secondary indexes once, after
/// the rows (one sort each), instead of inserting every row into each of them at a random place:
/// at 500,000 members that halves what SQLite does for them. Inside the writing transaction the
/// indexes are dropped before the first row and created again (same SQL) before the commit; DDL is
/// transactional in SQLite and the transaction holds the only write lock, so other connections keep
/// reading their snapshot with the indexes, and a rollback restores them.
/// <para>
/// A table with rows keeps its unique indexes: between batches the caller checks new numbers
/// against the stored ones through them (an import's duplicate check). An empty table has nothing
/// to check against, so it defers them too; a duplicate among the new rows then fails the final
/// <c>CREATE UNIQUE INDEX</c> and the transaction, as the insert itself would have.
/// </para>
/// </summary>
internal sealed class SqliteIndexDeferral(DbContext context)
{
    // Rebuilding the indexes of the rows already stored is cheap below this; above it, the rows go into the indexes as they come.
    private const int MaxStoredRows = 50_000;

    private readonly HashSet<string> _seen = [];
    private readonly List<string> _deferred = [];

    /// <summary>Drops the indexes of <paramref name="table"/> (undelimited name) that its size allows, once per table.</summary>
    public async Task DeferAsync(string table, CancellationToken cancellationToken)
    {
        if (!_seen.Add(table))
        {
            return;
        }

        var stored = (long)(await ScalarAsync("SELECT count(*) FROM (SELECT 1 FROM " + Delimited(table) + $" LIMIT {MaxStoredRows + 1})", cancellationToken))!;
        if (stored > MaxStoredRows)
        {
            return;
        }

        // Only indexes made by CREATE INDEX (origin 'c'): those of a PRIMARY KEY or UNIQUE constraint can't be dropped.
        var indexes = new List<(string Name, string Sql)>();
        await using (var command = Command("SELECT l.name, m.sql FROM pragma_index_list($table) AS l JOIN sqlite_master AS m ON m.name = l.name "
            + "WHERE l.origin = 'c' AND m.sql IS NOT NULL" + (stored > 0 ? " AND l.\"unique\" = 0" : "") + " ORDER BY l.name"))
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "$table";
            parameter.Value = table;
            command.Parameters.Add(parameter);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, sql) in indexes)
        {
            await ExecuteAsync("DROP INDEX " + Delimited(name), cancellationToken);
            _deferred.Add(sql);
        }
    }

    /// <summary>Creates again every index dropped, in the current transaction.</summary>
    public async Task RestoreAsync(CancellationToken cancellationToken)
    {
        foreach (var sql in _deferred)
        {
            await ExecuteAsync(sql, cancellationToken);
        }

        _deferred.Clear();
    }

    private static string Delimited(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private DbCommand Command(string sql)
    {
        var command = context.Database.GetDbConnection().CreateCommand();
        command.Transaction = context.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = sql;
        return command;
    }

    private async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(sql);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
