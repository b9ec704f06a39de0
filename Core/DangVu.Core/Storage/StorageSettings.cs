using Microsoft.Extensions.Configuration;

namespace DangVu.Core.Storage;

internal enum StorageProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary>
/// Where modules keep their data: SQLite files under <c>&lt;data&gt;/db</c> by default, or one
/// PostgreSQL database with a schema per module (<c>Storage:Provider = postgresql</c> and
/// <c>Storage:ConnectionString</c>).
/// </summary>
internal sealed record StorageSettings(StorageProvider Provider, string DatabaseDirectory, string? ConnectionString)
{
    public string ProviderName => Provider == StorageProvider.Sqlite ? "sqlite" : "postgresql";

    public static StorageSettings From(IConfiguration configuration, string dataDirectory)
    {
        var provider = configuration["Storage:Provider"]?.Trim().ToLowerInvariant();
        var databaseDirectory = Path.Combine(dataDirectory, "db");
        switch (provider)
        {
            case null or "" or "sqlite":
                return new StorageSettings(StorageProvider.Sqlite, databaseDirectory, null);
            case "postgresql" or "postgres" or "npgsql":
                var connectionString = configuration["Storage:ConnectionString"];
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidDataException(
                        "Storage:Provider là postgresql nhưng thiếu Storage:ConnectionString, ví dụ \"Host=127.0.0.1;Username=dangvu;Password=…;Database=dangvu\" " +
                        "(Storage:Provider is postgresql but Storage:ConnectionString is missing)");
                }

                return new StorageSettings(StorageProvider.PostgreSql, databaseDirectory, connectionString);
            default:
                throw new InvalidDataException(
                    $"Storage:Provider '{provider}' không được hỗ trợ; dùng sqlite hoặc postgresql (Storage:Provider '{provider}' is not supported; use sqlite or postgresql)");
        }
    }

    /// <summary>The PostgreSQL schema of a module: <c>m_</c> and its id, dashes as underscores.</summary>
    public static string SchemaOf(string moduleId) => "m_" + moduleId.Replace('-', '_');

    public string SqliteFileOf(string moduleId) => Path.Combine(DatabaseDirectory, moduleId + ".db");
}
