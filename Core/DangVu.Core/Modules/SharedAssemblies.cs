namespace DangVu.Core.Modules;

/// <summary>
/// The assemblies every module shares with the host, so that types crossing the boundary
/// (IModule, DbContext, IMessage, IServiceCollection…) are the same types on both sides. All
/// other assemblies a module carries stay private to it.
/// </summary>
internal static class SharedAssemblies
{
    private static readonly string[] ExactNames =
    [
        "DangVu.Core.Abstractions",
        "DangVu.Contracts",
        "Google.Protobuf",
        "netstandard",
        "mscorlib",
    ];

    private static readonly string[] Prefixes =
    [
        "System.",
        "Microsoft.Extensions.",
        "Microsoft.AspNetCore.",
        "Microsoft.EntityFrameworkCore",
        "Microsoft.Data.Sqlite",
        "SQLitePCLRaw.",
        "Npgsql",
        "Microsoft.Net.Http.Headers",
        "Microsoft.JSInterop",
        "Microsoft.Win32.",
        "Microsoft.CSharp",
        "Microsoft.VisualBasic",
    ];

    public static bool IsShared(string? assemblyName) =>
        assemblyName is not null
        && (assemblyName == "System"
            || ExactNames.Contains(assemblyName, StringComparer.OrdinalIgnoreCase)
            || Prefixes.Any(p => assemblyName.StartsWith(p, StringComparison.OrdinalIgnoreCase)));
}
