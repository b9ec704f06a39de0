using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DangVu.Core.Storage;

/// <summary>
/// Per-connection SQLite settings a connection string cannot carry: reads through a memory map
/// (large scans such as statistics and search stop copying pages through the 2 MB page cache).
/// </summary>
internal sealed class SqliteConnectionSettings : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA mmap_size = 1073741824;";

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
