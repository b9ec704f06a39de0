using System.Reflection;
using Xunit.Sdk;

namespace DangVu.Testing;

/// <summary>
/// The PostgreSQL server build/test.sh starts (DANGVU_TEST_POSTGRES). Without it the PostgreSQL
/// cases fail, so a missing server is never mistaken for a pass, unless DANGVU_TEST_SKIP_POSTGRES=1
/// leaves them out on purpose.
/// </summary>
internal static class TestPostgres
{
    public const string Variable = "DANGVU_TEST_POSTGRES";

    public static bool Skipped => Environment.GetEnvironmentVariable("DANGVU_TEST_SKIP_POSTGRES") == "1";

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set: run the tests with build/test.sh (it starts PostgreSQL), or set DANGVU_TEST_SKIP_POSTGRES=1 to leave PostgreSQL out.");
}

/// <summary>Runs a theory once per storage provider: "sqlite", and "postgresql" unless skipped.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class StorageProvidersAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod)
    {
        yield return ["sqlite"];
        if (!TestPostgres.Skipped)
        {
            yield return ["postgresql"];
        }
    }
}
