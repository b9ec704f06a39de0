using System.IO.Compression;
using System.Reflection;

namespace DangVu.Core.Modules;

/// <summary>
/// Turns a module's publish output into an installable zip: <c>module.json</c>, the module's
/// assemblies and its private dependencies. Shared assemblies are left out; the host provides them.
/// </summary>
internal static class ModulePackager
{
    /// <summary>Writes the package; <paramref name="output"/> is a .zip path or a folder that gets <c>&lt;id&gt;-&lt;version&gt;.zip</c>.</summary>
    public static (ModuleManifest Manifest, string ZipPath) Pack(string publishDirectory, string output)
    {
        var manifest = ModuleManifest.Read(Path.Combine(publishDirectory, ModuleManifest.FileName), checkFolder: false);
        var zipPath = output.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)
            ? output
            : Path.Combine(output, $"{manifest.Id}-{manifest.Version.ToString(3)}.zip");
        if (!File.Exists(Path.Combine(publishDirectory, manifest.Assembly)))
        {
            throw new ModuleLoadException(manifest.Id,
                $"không có {manifest.Assembly} trong {publishDirectory}; hãy publish dự án mô-đun trước",
                $"{manifest.Assembly} is not in {publishDirectory}; publish the module project first");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(zipPath))!);
        var temporary = zipPath + ".tmp";
        File.Delete(temporary);
        using (var zip = ZipFile.Open(temporary, ZipArchiveMode.Create))
        {
            foreach (var file in Directory.EnumerateFiles(publishDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(publishDirectory, file).Replace('\\', '/');
                if (IsSharedAssembly(file) || relative.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase) && !IsModuleFile(relative, manifest))
                {
                    continue;
                }

                zip.CreateEntryFromFile(file, relative, CompressionLevel.Optimal);
            }
        }

        File.Move(temporary, zipPath, overwrite: true);
        return (manifest, zipPath);
    }

    private static bool IsModuleFile(string relative, ModuleManifest manifest) =>
        Path.GetFileNameWithoutExtension(relative) == Path.GetFileNameWithoutExtension(manifest.Assembly);

    private static bool IsSharedAssembly(string file)
    {
        if (!file.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            return SharedAssemblies.IsShared(AssemblyName.GetAssemblyName(file).Name);
        }
        catch (BadImageFormatException)
        {
            return false; // a native library the module carries
        }
    }
}
