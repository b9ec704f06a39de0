using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DangVu.Core.Storage;

/// <summary>
/// Per-connection SQLite settings a connection string cannot carry: reads through a memory map
/// (large scans such as statistics and search stop copying pages through the 2 MB page cache);
/// temporary files in memory — above all the statement journal SQLite keeps, inside a
/// transaction, for every statement that could fail half way: on disk each INSERT into a table
/// with unique indexes wrote a dozen pages to /var/tmp. It must be set before a write transaction
/// begins (SQLite decides where the journal goes then), hence here. Durability is unchanged: the
/// database and its WAL are written as before.
/// </summary>
internal sealed class SqliteConnectionSettings : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA mmap_size = 1073741824; PRAGMA temp_store = MEMORY;";

    /// <summary>One instance for every context: stateless, and the same options keep EF's service cache warm.</summary>
    public static readonly SqliteConnectionSettings Instance = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
