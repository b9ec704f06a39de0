using DangVu.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Core.Tests.Storage;

public sealed class ModuleConnectionTests
{
    [Fact]
    public async Task A_module_queries_PostgreSQL_without_JIT_compiling_its_plans()
    {
        if (TestPostgres.Skipped)
        {
            return;
        }

        await using var storage = new TestStorage("postgresql");
        await storage.AddModule<LedgerDbContext>(storage.ModuleId("ledger")).StartAsync();
        using var _ = storage.Scope<LedgerDbContext>(out var db);

        (await db.Database.SqlQueryRaw<string>("SELECT current_setting('jit') AS \"Value\"").SingleAsync()).Should().Be("off");
    }
}
