using System.IO.Compression;
using DangVu.Core.Hosting;
using DangVu.Core.Storage;
using Npgsql;

namespace DangVu.Core.Modules;

/// <summary>
/// Installs a module package (a zip with <c>module.json</c> at its root) into the plugins
/// folder and removes modules, optionally with their data. Changes take effect at the next start.
/// </summary>
internal sealed class ModuleInstaller(DangVuInstallation installation)
{
    public ModuleManifest Install(string zipPath, bool allowDowngrade = false)
    {
        if (!File.Exists(zipPath))
        {
            throw new ModuleLoadException(Path.GetFileNameWithoutExtension(zipPath),
                $"không tìm thấy gói {zipPath}", $"package {zipPath} not found");
        }

        Directory.CreateDirectory(installation.PluginsDirectory);
        var staging = Path.Combine(installation.PluginsDirectory, ".install-" + Guid.NewGuid().ToString("N"));
        try
        {
            Extract(zipPath, staging);
            if (!File.Exists(Path.Combine(staging, ModuleManifest.FileName)))
            {
                throw new ModuleLoadException(Path.GetFileNameWithoutExtension(zipPath),
                    $"gói {zipPath} không có {ModuleManifest.FileName} ở thư mục gốc; hãy đóng gói bằng build/package-module.sh",
                    $"package {zipPath} has no {ModuleManifest.FileName} at its root; package it with build/package-module.sh");
            }

            var manifest = ModuleManifest.Read(Path.Combine(staging, ModuleManifest.FileName), checkFolder: false);
            if (!File.Exists(Path.Combine(staging, manifest.Assembly)))
            {
                throw new ModuleLoadException(manifest.Id,
                    $"gói không chứa {manifest.Assembly} mà module.json khai báo; hãy đóng gói lại bằng build/package-module.sh",
                    $"the package lacks {manifest.Assembly}, named in module.json; package it again with build/package-module.sh");
            }

            if (!manifest.Core.Includes(ModuleLoader.CoreVersion))
            {
                throw new ModuleLoadException(manifest.Id,
                    $"cần Core {manifest.Core} nhưng máy này chạy Core {ModuleLoader.CoreVersion.ToString(3)}; hãy dùng gói phù hợp",
                    $"needs Core {manifest.Core} but this host runs Core {ModuleLoader.CoreVersion.ToString(3)}; use a matching package");
            }

            var target = Path.Combine(installation.PluginsDirectory, manifest.Id);
            string? previous = null;
            if (Directory.Exists(target))
            {
                var installed = TryReadManifest(target);
                if (installed is not null && installed.Version > manifest.Version && !allowDowngrade)
                {
                    throw new ModuleLoadException(manifest.Id,
                        $"đã cài phiên bản {installed.Version.ToString(3)}, mới hơn gói {manifest.Version.ToString(3)}; dùng --force để hạ cấp",
                        $"version {installed.Version.ToString(3)} is installed, newer than the package's {manifest.Version.ToString(3)}; use --force to downgrade");
                }

                previous = Path.Combine(installation.PluginsDirectory, ".old-" + Guid.NewGuid().ToString("N"));
                Directory.Move(target, previous);
            }

            Directory.Move(staging, target);
            if (previous is not null)
            {
                Directory.Delete(previous, recursive: true);
            }

            return manifest;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>Removes a module; with <paramref name="purge"/> also its database and files.</summary>
    public async Task RemoveAsync(string moduleId, bool purge, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(installation.PluginsDirectory, moduleId);
        if (!ModuleManifest.IsValidId(moduleId) || !Directory.Exists(folder))
        {
            throw new ModuleLoadException(moduleId, "chưa được cài nên không thể gỡ", "is not installed, so it cannot be removed");
        }

        var dependents = Directory.EnumerateDirectories(installation.PluginsDirectory)
            .Where(d => !Path.GetFileName(d).StartsWith('.') && d != folder)
            .Select(TryReadManifest)
            .Where(m => m is not null && m.Dependencies.Contains(moduleId))
            .Select(m => m!.Id)
            .ToList();
        if (dependents.Count > 0)
        {
            var list = string.Join(", ", dependents);
            throw new ModuleLoadException(moduleId,
                $"các mô-đun {list} cần mô-đun này; hãy gỡ chúng trước", $"modules {list} depend on it; remove them first");
        }

        if (purge)
        {
            await PurgeDataAsync(moduleId, cancellationToken);
        }

        Directory.Delete(folder, recursive: true);
    }

    private async Task PurgeDataAsync(string moduleId, CancellationToken cancellationToken)
    {
        var settings = StorageSettings.From(installation.Configuration, installation.DataDirectory);
        if (settings.Provider == StorageProvider.Sqlite)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var file = settings.SqliteFileOf(moduleId);
            foreach (var path in new[] { file, file + "-wal", file + "-shm" })
            {
                File.Delete(path);
            }
        }
        else
        {
            await using var connection = new NpgsqlConnection(settings.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{StorageSettings.SchemaOf(moduleId)}\" CASCADE", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        var files = Path.Combine(installation.DataDirectory, "modules", moduleId);
        if (Directory.Exists(files))
        {
            Directory.Delete(files, recursive: true);
        }
    }

    private static ModuleManifest? TryReadManifest(string folder)
    {
        try
        {
            return ModuleManifest.Read(Path.Combine(folder, ModuleManifest.FileName));
        }
        catch (ModuleLoadException)
        {
            return null;
        }
    }

    private static void Extract(string zipPath, string destination)
    {
        ZipArchive archive;
        try
        {
            archive = ZipFile.OpenRead(zipPath);
        }
        catch (InvalidDataException ex)
        {
            throw new ModuleLoadException(Path.GetFileNameWithoutExtension(zipPath),
                $"{zipPath} không phải tệp zip hợp lệ: {ex.Message}", $"{zipPath} is not a valid zip file: {ex.Message}", ex);
        }

        using (archive)
        {
            var root = Path.GetFullPath(destination) + Path.DirectorySeparatorChar;
            foreach (var entry in archive.Entries)
            {
                var path = Path.GetFullPath(Path.Combine(destination, entry.FullName));
                if (!path.StartsWith(root, StringComparison.Ordinal))
                {
                    // A path like ../../x would write outside the plugin folder.
                    throw new ModuleLoadException(Path.GetFileNameWithoutExtension(zipPath),
                        $"gói chứa đường dẫn không an toàn '{entry.FullName}'; từ chối cài", $"the package holds an unsafe path '{entry.FullName}'; refused");
                }

                if (entry.FullName.EndsWith('/'))
                {
                    Directory.CreateDirectory(path);
                    continue;
                }

                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                entry.ExtractToFile(path, overwrite: true);
            }
        }
    }
}
