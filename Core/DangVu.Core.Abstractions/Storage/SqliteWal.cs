using Microsoft.Data.Sqlite;

namespace DangVu.Core.Abstractions.Storage;

/// <summary>
/// SQLite's write-ahead log: a commit appends its pages to the WAL, and a checkpoint copies them into the database
/// file. By default the commit that finds the WAL over 1,000 pages runs the checkpoint itself, so the writer of a
/// large transaction waits for every page to be written a second time (<see cref="ModuleDbContext.CommitBulkAsync"/>).
/// </summary>
internal static class SqliteWal
{
    /// <summary>Whether <paramref name="connection"/>'s commits checkpoint: at SQLite's default of 1,000 pages, or never.</summary>
    public static async Task AutoCheckpointAsync(SqliteConnection connection, bool enabled, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = enabled ? "PRAGMA wal_autocheckpoint = 1000" : "PRAGMA wal_autocheckpoint = 0";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Copies the WAL into the database file on a connection of its own, without waiting for readers or writers
    /// (PASSIVE). What it cannot copy yet, the next commit past the threshold copies, as SQLite always does.
    /// </summary>
    public static void CheckpointInBackground(string connectionString) =>
        _ = Task.Run(async () =>
        {
            try
            {
                // Never creates the file: a database removed meanwhile (a test's, an uninstalled module's) stays removed.
                var existing = new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadWrite }.ToString();
                await using var connection = new SqliteConnection(existing);
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                await command.ExecuteNonQueryAsync();
            }
            catch (SqliteException)
            {
                // Busy or closed: the data is committed either way, and a later commit checkpoints.
            }
        });
}
