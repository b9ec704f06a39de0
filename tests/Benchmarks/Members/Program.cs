using System.Diagnostics;
using System.Globalization;
using DangVu.Core.Abstractions.Errors;
using DangVu.Core.Abstractions.Organisation;
using DangVu.Core.Abstractions.Security;
using DangVu.Core.Abstractions.Storage;
using DangVu.Core.Events;
using DangVu.Core.Storage;
using DangVu.Modules.Members;
using DangVu.Modules.Members.Application;
using DangVu.Modules.Members.Domain;
using DangVu.Modules.Members.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

// build/bench.sh members [--members N] [--providers "sqlite postgresql"] [--searches DIR]: imports N generated members
// (the deterministic generator) from a CSV file through the module's import, then times name
// searches and the whole-tree statistics. PostgreSQL needs DANGVU_BENCH_POSTGRES; DANGVU_BENCH_KEEP=1 keeps the
// files and the PostgreSQL schema; --searches DIR times only the searches and statistics again on what a kept run left in DIR.
var count = 500_000;
var providers = new List<string> { "sqlite", "postgresql" };
string? searchesOnly = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--members": count = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--providers": providers = args[++i].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList(); break;
        case "--searches": searchesOnly = args[++i]; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}

var today = new DateOnly(2026, 11, 23);
var organisation = new BenchOrganisation(committees: 20, cellsPerCommittee: 25);
if (searchesOnly is not null)
{
    Console.WriteLine($"Members benchmark, searches and statistics only, on the database kept in {searchesOnly}, {Environment.ProcessorCount} cores");
    foreach (var provider in providers)
    {
        var moduleId = File.ReadAllText(Path.Combine(searchesOnly, provider + ".module")).Trim();
        await using var services = await StartAsync(provider, moduleId, organisation, today, Path.Combine(searchesOnly, provider));
        using var actor = Actor.Use(new Actor(ActorKind.User, BenchAuthorizer.Administrator));
        int members;
        await using (var scope = services.CreateAsyncScope())
        {
            members = await scope.ServiceProvider.GetRequiredService<MembersDbContext>().Members.CountAsync();
        }

        var search = await SearchAsync(services, organisation.Root.Id);
        var statistics = await StatisticsAsync(services, organisation.Root.Id, today);
        Console.WriteLine($"[{provider}] {members:N0} members");
        foreach (var (kind, p) in search)
        {
            Console.WriteLine($"[{provider}] search {kind}: p50 {p.P50:F1} ms, p95 {p.P95:F1} ms");
        }

        Console.WriteLine($"[{provider}] statistics, whole tree: median {statistics:F0} ms");
    }

    Console.WriteLine($"load average at the end {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
    return 0;
}

var work = Directory.CreateTempSubdirectory("dangvu-bench-members-");
try
{
    var file = Path.Combine(work.FullName, "members.csv");
    var generate = Stopwatch.StartNew();
    await using (var output = File.Create(file))
    {
        var rows = SyntheticMembers.Generate(count, seed: 2026, today, organisation.Cells.Count)
            .Select(m => ImportExportService.FileRow(SyntheticMembers.ToMember(m, organisation.Cells[m.CellIndex].Id), organisation.Cells[m.CellIndex].Code));
        await ImportExportService.WriteFileAsync(output, MemberFileFormat.Csv, rows.ToAsyncEnumerable(), CancellationToken.None);
    }

    Console.Error.WriteLine($"Generated {count:N0} members in {generate.Elapsed.TotalSeconds:F1} s ({new FileInfo(file).Length / 1048576.0:F0} MB CSV).");
    var results = new List<Result>();
    foreach (var provider in providers)
    {
        results.Add(await RunAsync(provider, file, count, organisation, today, work.FullName));
    }

    Console.WriteLine();
    Console.WriteLine($"Members benchmark: {count:N0} generated members, {organisation.Cells.Count} chi bộ, {Environment.ProcessorCount} cores, "
        + $"{(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC, load average at the end {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
    Console.WriteLine($"{"measure",-44} {"target",-14} {string.Join(" ", results.Select(r => $"{r.Provider,14}"))}");
    void Line(string name, string target, Func<Result, string> value) =>
        Console.WriteLine($"{name,-44} {target,-14} {string.Join(" ", results.Select(r => $"{value(r),14}"))}");
    Line("import: rows/s (validate + write, one tx)", ">= 50,000", r => r.ImportRate.ToString("N0", CultureInfo.InvariantCulture));
    Line("import: seconds", "<= 10", r => r.ImportSeconds.ToString("F1", CultureInfo.InvariantCulture));
    Line("  of which checking (read + validate)", "", r => r.CheckSeconds.ToString("F1", CultureInfo.InvariantCulture));
    Line("  WAL in the database file, s after start", "", r => r.WalCopiedSeconds.ToString("F1", CultureInfo.InvariantCulture));
    Line("import: CPU seconds of this process", "", r => r.ImportCpuSeconds.ToString("F1", CultureInfo.InvariantCulture));
    Line("ceiling: raw insert of the member rows, rows/s", "", r => r.RawRate.ToString("N0", CultureInfo.InvariantCulture));
    Line("import: peak managed heap, MB", "", r => r.PeakHeapMb.ToString("N0", CultureInfo.InvariantCulture));
    Line("import: peak working set, MB", "", r => r.PeakWorkingSetMb.ToString("N0", CultureInfo.InvariantCulture));
    foreach (var kind in results[0].Search.Keys)
    {
        Line($"search {kind}: p50 ms", "", r => r.Search[kind].P50.ToString("F1", CultureInfo.InvariantCulture));
        Line($"search {kind}: p95 ms", "<= 20", r => r.Search[kind].P95.ToString("F1", CultureInfo.InvariantCulture));
    }

    Line("statistics, whole tree: median ms", "<= 1000", r => r.StatisticsMs.ToString("F0", CultureInfo.InvariantCulture));
    return 0;
}
finally
{
    // DANGVU_BENCH_KEEP=1 keeps the SQLite files and the PostgreSQL schema for EXPLAIN afterwards and for --searches.
    if (Keep())
    {
        Console.Error.WriteLine($"Kept {work.FullName} (again: build/bench.sh members --searches {work.FullName})");
    }
    else
    {
        work.Delete(recursive: true);
    }
}

// SQLite: the import returns once its commit is durable in the WAL, whose copy into the database file goes on in the
// background. The searches are timed after it (a full checkpoint waits for it), and this says when, from the import's start.
static async Task<double> WalCopiedAsync(ServiceProvider services, string provider, Stopwatch import)
{
    var after = Stopwatch.StartNew();
    if (provider == "sqlite")
    {
        // Busy (1 in the first column) while the background checkpoint runs: SQLite runs one at a time.
        await using var scope = services.CreateAsyncScope();
        var connection = scope.ServiceProvider.GetRequiredService<MembersDbContext>().Database.GetDbConnection();
        await connection.OpenAsync();
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        while ((long)(await checkpoint.ExecuteScalarAsync())! != 0)
        {
            await Task.Delay(20);
        }
    }

    return (import.Elapsed + after.Elapsed).TotalSeconds;
}

static async Task<Result> RunAsync(string provider, string file, int count, BenchOrganisation organisation, DateOnly today, string work)
{
    Console.Error.WriteLine($"[{provider}] preparing storage...");
    var moduleId = "members-bench-" + Guid.NewGuid().ToString("N")[..6];
    await File.WriteAllTextAsync(Path.Combine(work, provider + ".module"), moduleId);
    await using var services = await StartAsync(provider, moduleId, organisation, today, Path.Combine(work, provider));
    using var actor = Actor.Use(new Actor(ActorKind.User, BenchAuthorizer.Administrator));
    try
    {
        // The ceiling: the same member rows through the same prepared INSERTs, with nothing else (no checks, feed, audit, timeline).
        var rawSeconds = await RawInsertAsync(services, count, organisation, today);
        Console.Error.WriteLine($"[{provider}] raw insert of {count:N0} member rows: {rawSeconds:F1} s");
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<MembersDbContext>().Members.ExecuteDeleteAsync();
        }

        long peakHeap = 0, peakSet = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                peakSet = Math.Max(peakSet, Environment.WorkingSet);
                await Task.Delay(50);
            }
        });
        double checkSeconds = 0;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var import = Stopwatch.StartNew();
        ImportResult result;
        await using (var scope = services.CreateAsyncScope())
        await using (var input = File.OpenRead(file))
        {
            var progress = new CheckTimer(import, s => checkSeconds = s);
            result = await scope.ServiceProvider.GetRequiredService<ImportExportService>().ImportAsync(input, MemberFileFormat.Csv, progress, CancellationToken.None);
        }

        import.Stop();
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        await sampling.CancelAsync();
        await sampler;
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"The import failed: {string.Join("; ", result.Errors.Take(5).Select(e => $"{e.Row}/{e.Column}: {e.MessageEn}"))}");
        }

        Console.Error.WriteLine($"[{provider}] import of {count:N0}: {import.Elapsed.TotalSeconds:F1} s");
        var walSeconds = await WalCopiedAsync(services, provider, import);
        var search = await SearchAsync(services, organisation.Root.Id);
        var statistics = await StatisticsAsync(services, organisation.Root.Id, today);
        return new Result(provider, count / import.Elapsed.TotalSeconds, import.Elapsed.TotalSeconds, walSeconds, cpuSeconds, checkSeconds, count / rawSeconds,
            peakHeap / 1048576.0, peakSet / 1048576.0, search, statistics);
    }
    finally
    {
        if (provider == "postgresql" && !Keep())
        {
            await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("DANGVU_BENCH_POSTGRES"));
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{StorageSettings.SchemaOf(moduleId)}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}

static bool Keep() => Environment.GetEnvironmentVariable("DANGVU_BENCH_KEEP") == "1";

static async Task<ServiceProvider> StartAsync(string provider, string moduleId, BenchOrganisation organisation, DateOnly today, string directory)
{
    var settings = provider == "sqlite"
        ? new StorageSettings(StorageProvider.Sqlite, directory, null)
        : new StorageSettings(StorageProvider.PostgreSql, directory, Environment.GetEnvironmentVariable("DANGVU_BENCH_POSTGRES")
            ?? throw new InvalidOperationException("DANGVU_BENCH_POSTGRES is not set (build/bench.sh members starts PostgreSQL)."));
    var services = new ServiceCollection();
    services.AddLogging();
    services.AddSingleton(settings);
    services.AddSingleton<OutboxSignal>();
    services.AddSingleton<ModuleStorageHooks>();
    services.AddSingleton<StorageMigrator>();
    services.AddModuleStorage<MembersDbContext>(moduleId, "node-bench");
    services.AddSingleton<IOrganisationDirectory>(organisation);
    services.AddSingleton<IAuthorizer>(new BenchAuthorizer(organisation));
    services.AddSingleton<TimeProvider>(new FixedTime(new DateTimeOffset(today.ToDateTime(new TimeOnly(9, 0)), TimeSpan.FromHours(7))));
    services.AddMembersApplication();
    var provided = services.BuildServiceProvider();
    await provided.GetRequiredService<StorageMigrator>().MigrateAsync();
    return provided;
}

static async Task<double> RawInsertAsync(ServiceProvider services, int count, BenchOrganisation organisation, DateOnly today)
{
    var members = SyntheticMembers.Generate(count, seed: 2026, today, organisation.Cells.Count)
        .Select(m => (object)SyntheticMembers.ToMember(m, organisation.Cells[m.CellIndex].Id)).ToList();
    await using var scope = services.CreateAsyncScope();
    var db = scope.ServiceProvider.GetRequiredService<MembersDbContext>();
    var watch = Stopwatch.StartNew();
    await using var transaction = await db.Database.BeginTransactionAsync();
    await new BulkInsert(db).WriteAsync(typeof(Member), members, CancellationToken.None);
    await transaction.CommitAsync();
    return watch.Elapsed.TotalSeconds;
}

static async Task<Dictionary<string, Percentiles>> SearchAsync(ServiceProvider services, Guid root)
{
    string[] names = ["nguyen van an", "Trần Thị Lan", "le minh hung", "pham quang", "thi huyen", "hoang duc thang", "Vũ Ngọc Anh", "dang xuan vinh"];
    string[] substrings = ["hung", "thi thu", "uyen", "minh ha", "an khanh"];
    var numbers = new List<string>();
    await using (var scope = services.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<MembersDbContext>();
        numbers.AddRange(await db.Members.OrderBy(m => m.Id).Skip(1234).Take(4).Select(m => m.CitizenId).ToListAsync());
        numbers.AddRange(await db.Members.OrderBy(m => m.Id).Skip(99_999).Take(4).Select(m => m.CardNumber!).ToListAsync());
    }

    var kinds = new[] { ("by name (page 1 of 20)", names), ("by part of a name", substrings), ("by CCCD or card number", numbers.ToArray()) };
    // A server answering searches all day runs them as optimized code. Tiered compilation recompiles a method after 30
    // calls, on a background thread: with one untimed round per query, the timed ones ran partly unoptimized and shared
    // the 2 cores with that recompilation (PostgreSQL's tail: p95 16.6-25.1 ms, against 12.5-14.3 with every method
    // compiled optimized at once, DOTNET_TieredCompilation=0). So every query is first run untimed until warm.
    for (var warm = 0; warm < 8; warm++)
    {
        foreach (var query in kinds.SelectMany(k => k.Item2))
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<QueryService>().SearchAsync(new MemberSearch { OrgUnitId = root, Text = query, Page = 1, PageSize = 20 }, CancellationToken.None);
        }
    }

    await Task.Delay(1000); // the last recompilations queued finish
    var results = new Dictionary<string, Percentiles>();
    foreach (var (kind, queries) in kinds)
    {
        var times = new List<double>();
        var perQuery = queries.ToDictionary(q => q, _ => new List<double>());
        var cpuPerQuery = queries.ToDictionary(q => q, _ => 0.0);
        for (var round = 0; round < 6; round++)
        {
            foreach (var query in queries)
            {
                await using var scope = services.CreateAsyncScope();
                var queryService = scope.ServiceProvider.GetRequiredService<QueryService>();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                var found = await queryService.SearchAsync(new MemberSearch { OrgUnitId = root, Text = query, Page = 1, PageSize = 20 }, CancellationToken.None);
                watch.Stop();
                cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
                if (found.Items.Count == 0)
                {
                    throw new InvalidOperationException($"The search for \"{query}\" found nothing.");
                }

                if (round > 0)
                {
                    times.Add(watch.Elapsed.TotalMilliseconds);
                    perQuery[query].Add(watch.Elapsed.TotalMilliseconds);
                    cpuPerQuery[query] += cpu.TotalMilliseconds / 5;
                }
            }
        }

        // Which queries make the tail: each one's median and slowest wall ms, and its mean CPU ms, steadier on a
        // shared machine (SQLite runs in this process; PostgreSQL's server is not counted).
        Console.Error.WriteLine($"  {kind} (median/slowest ms, CPU ms): "
            + string.Join(", ", perQuery.Select(q => $"\"{q.Key}\" {q.Value.Order().ElementAt(q.Value.Count / 2):F1}/{q.Value.Max():F1}, {cpuPerQuery[q.Key]:F1}")));
        times.Sort();
        results[kind] = new Percentiles(times[(int)(times.Count * 0.5)], times[Math.Min(times.Count - 1, (int)Math.Ceiling(times.Count * 0.95) - 1)]);
    }

    return results;
}

static async Task<double> StatisticsAsync(ServiceProvider services, Guid root, DateOnly today)
{
    var times = new List<double>();
    var cpuTimes = new List<double>();
    for (var round = 0; round < 4; round++)
    {
        await using var scope = services.CreateAsyncScope();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var statistics = await scope.ServiceProvider.GetRequiredService<QueryService>().StatisticsAsync(root, today, CancellationToken.None);
        watch.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        if (statistics.Total == 0)
        {
            throw new InvalidOperationException("The statistics counted no one.");
        }

        if (round > 0)
        {
            times.Add(watch.Elapsed.TotalMilliseconds);
            cpuTimes.Add(cpu.TotalMilliseconds);
        }
    }

    times.Sort();
    cpuTimes.Sort();
    // The CPU time (all threads of this process) is steadier than the wall time on a busy machine.
    Console.Error.WriteLine($"  statistics (median ms, median CPU ms): {times[times.Count / 2]:F0}, {cpuTimes[cpuTimes.Count / 2]:F0}");
    return times[times.Count / 2];
}

internal sealed record Percentiles(double P50, double P95);

internal sealed record Result(
    string Provider, double ImportRate, double ImportSeconds, double WalCopiedSeconds, double ImportCpuSeconds, double CheckSeconds, double RawRate, double PeakHeapMb, double PeakWorkingSetMb,
    Dictionary<string, Percentiles> Search, double StatisticsMs);

/// <summary>Notes when the checking stage ended (the first writing report).</summary>
internal sealed class CheckTimer(Stopwatch watch, Action<double> checkedAfter) : IProgress<ImportProgress>
{
    private bool _writing;

    public void Report(ImportProgress value)
    {
        if (value.Stage == ImportStage.Checking && value.Total > 0 && !_writing)
        {
            _writing = true;
            checkedAfter(watch.Elapsed.TotalSeconds);
        }
    }
}

/// <summary>A committee with grassroots committees, each with chi bộ (codes BENCH.cc.nn).</summary>
internal sealed class BenchOrganisation : IOrganisationDirectory
{
    private static readonly DateOnly Founded = new(1990, 1, 1);
    private readonly Dictionary<Guid, OrgUnitInfo> _byId = [];
    private readonly Dictionary<string, OrgUnitInfo> _byCode = [];
    private ILookup<Guid, OrgUnitInfo> _children = Array.Empty<OrgUnitInfo>().ToLookup(u => u.Id);

    public BenchOrganisation(int committees, int cellsPerCommittee)
    {
        Root = Add(new OrgUnitInfo(IdOf("BENCH"), "BENCH", "Đảng bộ Thử tải", OrgUnitKind.DirectlySubordinateCommittee, null, Founded, null));
        for (var c = 1; c <= committees; c++)
        {
            var committee = Add(new OrgUnitInfo(IdOf($"BENCH.{c:D2}"), $"BENCH.{c:D2}", $"Đảng bộ cơ sở {c}", OrgUnitKind.GrassrootsCommittee, Root.Id, Founded, null));
            for (var n = 1; n <= cellsPerCommittee; n++)
            {
                Cells.Add(Add(new OrgUnitInfo(IdOf($"BENCH.{c:D2}.{n:D2}"), $"BENCH.{c:D2}.{n:D2}", $"Chi bộ {c}.{n}", OrgUnitKind.SubordinateCell, committee.Id, Founded, null)));
            }
        }

        // Children by parent, as the platform's directory keeps them: a subtree costs its size, not the tree's square.
        _children = _byId.Values.Where(u => u.ParentId is not null).ToLookup(u => u.ParentId!.Value);
    }

    public OrgUnitInfo Root { get; }

    public List<OrgUnitInfo> Cells { get; } = [];

    public IEnumerable<OrgUnitInfo> All => _byId.Values;

    public Task<OrgUnitInfo?> FindAsync(Guid id, CancellationToken cancellationToken = default) => Task.FromResult(_byId.GetValueOrDefault(id));

    public Task<OrgUnitInfo?> FindByCodeAsync(string code, CancellationToken cancellationToken = default) => Task.FromResult(_byCode.GetValueOrDefault(code));

    public Task<IReadOnlyList<OrgUnitInfo>> SubtreeAsync(Guid rootId, CancellationToken cancellationToken = default)
    {
        var result = new List<OrgUnitInfo>();
        var queue = new Queue<Guid>([rootId]);
        while (queue.TryDequeue(out var id))
        {
            if (_byId.TryGetValue(id, out var unit))
            {
                result.Add(unit);
                foreach (var child in _children[id])
                {
                    queue.Enqueue(child.Id);
                }
            }
        }

        return Task.FromResult<IReadOnlyList<OrgUnitInfo>>(result);
    }

    public Task<IReadOnlyList<OrgUnitInfo>> AncestryAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var result = new List<OrgUnitInfo>();
        for (var unit = _byId.GetValueOrDefault(id); unit is not null; unit = unit.ParentId is { } parent ? _byId.GetValueOrDefault(parent) : null)
        {
            result.Add(unit);
        }

        return Task.FromResult<IReadOnlyList<OrgUnitInfo>>(result);
    }

    /// <summary>The same id for a code in every run, so that --searches finds the members of a kept database in their chi bộ.</summary>
    private static Guid IdOf(string code) => new(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(code)));

    private OrgUnitInfo Add(OrgUnitInfo unit)
    {
        _byId[unit.Id] = unit;
        _byCode[unit.Code] = unit;
        return unit;
    }
}

/// <summary>The benchmark's one actor holds every permission on the whole tree; anyone else nothing.</summary>
internal sealed class BenchAuthorizer(BenchOrganisation organisation) : IAuthorizer
{
    public const string Administrator = "bench.admin";

    public Task<bool> IsAllowedAsync(string permission, Guid orgUnitId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Actor.Current.Name == Administrator);

    public async Task EnsureAllowedAsync(string permission, Guid orgUnitId, CancellationToken cancellationToken = default)
    {
        if (!await IsAllowedAsync(permission, orgUnitId, cancellationToken))
        {
            throw new PermissionDeniedException("Không có quyền.", "Not allowed.");
        }
    }

    public Task<IReadOnlySet<Guid>> ScopeAsync(string permission, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlySet<Guid>>(Actor.Current.Name == Administrator ? organisation.All.Select(u => u.Id).ToHashSet() : []);
}

internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
}
