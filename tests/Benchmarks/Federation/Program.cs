using System.Diagnostics;
using System.Globalization;
using DangVu.Core.Abstractions.Storage;
using DangVu.Core.Federation;
using DangVu.Core.Hosting;
using DangVu.Core.Platform;
using DangVu.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

// Usage: DangVu.Benchmarks <child home> <child node id> <parent home> <changes> <chi bộ code> [<warm-up changes>]
// The child is enrolled at the parent, which serves gRPC over https (build/bench/federation.sh
// sets both up through the CLI). Untimed: member files are written at the child through its real
// storage's bulk insert (rows, change feed, audit), first <warm-up changes> of them, pushed in 40
// pushes (the first syncs since the two processes started, which compile the code they run), then
// <changes>. Timed: one push of those by the code `dangvu federation sync` runs, until the parent
// has acknowledged (committed) every batch. A warm-up of 0 times the first sync of a cold parent.
if (args.Length is not (5 or 6))
{
    Console.Error.WriteLine("usage: DangVu.Benchmarks <child home> <child node id> <parent home> <changes> <chi bộ code> [<warm-up changes>]");
    return 2;
}

var (childHome, childId, parentHome, changes, cell) = (args[0], args[1], args[2], int.Parse(args[3]), args[4]);
var warmUp = args.Length == 6 ? int.Parse(args[5]) : 0;
var installation = DangVuInstallation.Open(childHome, [new("Node:Id", childId), new("Federation:BackgroundSync", "false")]);
await using var app = await DangVuApplication.BuildAsync(installation);
var pusher = app.Services.GetRequiredService<FederationPusher>();

if (warmUp > 0)
{
    // In as many pushes as a running parent has served after a while: .NET compiles a method optimised once it has run 30 times,
    // and the code that runs once per push or per batch would otherwise run unoptimised, and be compiled, in the timed push.
    const int warmUpPushes = 40;
    var rounds = Math.Min(warmUpPushes, warmUp);
    double warmSeconds = 0;
    var warmApplied = 0;
    for (var round = 0; round < rounds; round++)
    {
        var (first, next) = (warmUp * round / rounds, warmUp * (round + 1) / rounds);
        await WriteMembersAsync(first, next - first);
        var (warm, pushSeconds, _) = await PushAsync();
        warmSeconds += pushSeconds;
        warmApplied += warm.Applied;
    }

    Console.WriteLine($"warm-up: {warmApplied} changes in {rounds} pushes, {warmSeconds:F2} s (the first syncs of both processes, untimed)");
    if (warmApplied != warmUp)
    {
        Console.Error.WriteLine($"the warm-up pushes applied {warmApplied} of {warmUp} changes");
        return 1;
    }
}

var written = Stopwatch.StartNew();
await WriteMembersAsync(warmUp, changes);
Console.WriteLine($"written at the child: {changes} member changes in {written.Elapsed.TotalSeconds:F1} s (untimed set-up)");
var parentPid = Environment.GetEnvironmentVariable("DANGVU_BENCH_PARENT_PID");
var (childThreads, parentThreads) = (ThreadTicks("self"), parentPid is null ? [] : ThreadTicks(parentPid));
var parentCpu = ParentCpuSeconds();
var (report, seconds, cpu) = await PushAsync();
parentCpu = ParentCpuSeconds() - parentCpu;
var childByThread = CpuByThread(childThreads, ThreadTicks("self"));
var parentByThread = parentPid is null ? "" : CpuByThread(parentThreads, ThreadTicks(parentPid));

await using var parent = new SqliteConnection($"Data Source={Path.Combine(parentHome, "data", "db", "members.db")};Pooling=False");
await parent.OpenAsync();
await using var count = parent.CreateCommand();
count.CommandText = $"SELECT COUNT(*) FROM members WHERE \"OriginNode\" = '{childId}'";
var atParent = (long)(await count.ExecuteScalarAsync())! - warmUp;

Console.WriteLine($"pushed: {report.Applied} applied, {report.Skipped} skipped, {report.Batches} batches");
Console.WriteLine($"at the parent: {atParent} member replicas");
Console.WriteLine($"time to converge: {seconds:F2} s");
Console.WriteLine($"throughput: {changes / seconds:F0} changes/s (target >= 20000)");
// Wall time depends on what else runs on the machine; CPU time much less so.
Console.WriteLine($"child CPU during the push: {cpu.TotalSeconds:F2} s; load average: {File.ReadAllText("/proc/loadavg").Trim()}");
if (parentCpu is { } parentSeconds)
{
    Console.WriteLine($"parent CPU during the push: {parentSeconds:F2} s");
}

// Which threads the CPU went to: the runtime names its own (thread-pool workers, GC, compilation).
Console.WriteLine($"child CPU by thread: {childByThread}");
if (parentPid is not null)
{
    Console.WriteLine($"parent CPU by thread: {parentByThread}");
}

return atParent == changes && report.Applied == changes ? 0 : 1;

// Members number first … first + count - 1 (names and citizen IDs unique by number), in one bulk insert.
async Task WriteMembersAsync(int first, int count)
{
    await using var scope = app.Services.CreateAsyncScope();
    var members = scope.ServiceProvider.GetServices<ModuleStorage>().Single(s => s.ModuleId == "members").Resolve(scope.ServiceProvider);
    var owner = (await scope.ServiceProvider.GetRequiredService<OrganisationDirectory>().FindByCodeAsync(cell))!.Id;
    var memberType = members.Model.GetEntityTypes().Single(t => t.ClrType.Name == "Member").ClrType;
    void Set(object record, string property, object value)
    {
        var info = memberType.GetProperty(property)!;
        info.SetValue(record, info.PropertyType.IsEnum ? Enum.ToObject(info.PropertyType, value) : value);
    }

    var records = new List<ReplicatedRecord>(count);
    for (var i = first; i < first + count; i++)
    {
        var member = (ReplicatedRecord)Activator.CreateInstance(memberType)!;
        member.OwnerOrgUnitId = owner;
        Set(member, "FullName", $"Nguyễn Văn Thử {i}");
        Set(member, "SearchName", $"nguyen van thu {i}");
        Set(member, "SortName", $"thu {i} nguyen van");
        Set(member, "Gender", 1);
        Set(member, "DateOfBirth", new DateOnly(1960 + i % 40, 1 + i % 12, 1 + i % 28));
        Set(member, "CitizenId", $"001{(i % 2 == 0 ? 0 : 2)}{60 + i % 40:00}{i:000000}");
        Set(member, "Status", 2);
        Set(member, "AdmissionDate", new DateOnly(2000 + i % 20, 5, 19));
        Set(member, "AdmissionCeremonyDate", new DateOnly(2000 + i % 20, 5, 25));
        Set(member, "PlaceOfBirth", "Hà Nội");
        Set(member, "Hometown", "Nam Định");
        Set(member, "Occupation", "Giáo viên");
        records.Add(member);
    }

    await members.BulkInsertAsync(records, null, CancellationToken.None);
}

// One push to the parent, timed: the report, wall seconds and this process's CPU.
async Task<(PushReport Report, double Seconds, TimeSpan Cpu)> PushAsync()
{
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var timer = Stopwatch.StartNew();
    var report = await pusher.PushAsync(CancellationToken.None) ?? throw new InvalidOperationException("the child has no active parent link");
    return (report, timer.Elapsed.TotalSeconds, Process.GetCurrentProcess().TotalProcessorTime - cpu);
}

// Each thread's name and CPU clock ticks so far, by thread id; a thread that ended meanwhile is left out.
static Dictionary<string, (string Name, long Ticks)> ThreadTicks(string pid)
{
    var threads = new Dictionary<string, (string, long)>();
    foreach (var task in Directory.GetDirectories($"/proc/{pid}/task"))
    {
        try
        {
            threads[Path.GetFileName(task)] = StatTicks(Path.Combine(task, "stat"));
        }
        catch (IOException)
        {
        }
    }

    return threads;
}

// CPU seconds between two readings, summed by thread name, the largest first: "<name> ×<threads> <seconds> s; …".
static string CpuByThread(Dictionary<string, (string Name, long Ticks)> before, Dictionary<string, (string Name, long Ticks)> after)
{
    var hz = double.Parse(Environment.GetEnvironmentVariable("DANGVU_BENCH_CLK_TCK") ?? "100", CultureInfo.InvariantCulture);
    var byName = after.Select(t => (t.Value.Name, Ticks: t.Value.Ticks - (before.TryGetValue(t.Key, out var b) ? b.Ticks : 0)))
        .Where(t => t.Ticks > 0).GroupBy(t => t.Name).OrderByDescending(g => g.Sum(t => t.Ticks))
        .Select(g => $"{g.Key} ×{g.Count()} {g.Sum(t => t.Ticks) / hz:F2} s");
    return string.Join("; ", byName);
}

// The parent's CPU time so far (user + system, all threads), when build/bench/federation.sh gives its process and clock ticks.
static double? ParentCpuSeconds()
{
    if (Environment.GetEnvironmentVariable("DANGVU_BENCH_PARENT_PID") is not { } pid || Environment.GetEnvironmentVariable("DANGVU_BENCH_CLK_TCK") is not { } hz)
    {
        return null;
    }

    return StatTicks($"/proc/{pid}/stat").Ticks / (double)int.Parse(hz, CultureInfo.InvariantCulture);
}

// A /proc stat file's command name and CPU clock ticks (user + system). The name is in parentheses and may hold spaces:
// utime and stime are the 12th and 13th fields after it.
static (string Name, long Ticks) StatTicks(string path)
{
    var stat = File.ReadAllText(path);
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')],
        long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
}
