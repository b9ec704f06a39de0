using System.Diagnostics;
using DangVu.Core.Abstractions.Storage;
using DangVu.Core.Federation;
using DangVu.Core.Hosting;
using DangVu.Core.Platform;
using DangVu.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

// Usage: DangVu.Benchmarks <child home> <child node id> <parent home> <changes> <chi bộ code>
// The child is enrolled at the parent, which serves gRPC over https (build/bench/federation.sh
// sets both up through the CLI). Untimed: <changes> member files are written at the child through
// its real storage (rows, change feed, audit). Timed: one push by the code `dangvu federation
// sync` runs, until the parent has acknowledged (committed) every batch.
if (args.Length != 5)
{
    Console.Error.WriteLine("usage: DangVu.Benchmarks <child home> <child node id> <parent home> <changes> <chi bộ code>");
    return 2;
}

var (childHome, childId, parentHome, changes, cell) = (args[0], args[1], args[2], int.Parse(args[3]), args[4]);
var installation = DangVuInstallation.Open(childHome, [new("Node:Id", childId), new("Federation:BackgroundSync", "false")]);
await using var app = await DangVuApplication.BuildAsync(installation);

// DANGVU_BENCH_PHASE=write stops after the writing, =push skips it (a copy of the homes taken in between):
// repeated pushes of the same changes, without the minute of set-up each time.
var phase = Environment.GetEnvironmentVariable("DANGVU_BENCH_PHASE");
var written = Stopwatch.StartNew();
await using (var scope = app.Services.CreateAsyncScope())
{
    var members = scope.ServiceProvider.GetServices<ModuleStorage>().Single(s => s.ModuleId == "members").Resolve(scope.ServiceProvider);
    var owner = (await scope.ServiceProvider.GetRequiredService<OrganisationDirectory>().FindByCodeAsync(cell))!.Id;
    var memberType = members.Model.GetEntityTypes().Single(t => t.ClrType.Name == "Member").ClrType;
    void Set(object record, string property, object value)
    {
        var info = memberType.GetProperty(property)!;
        info.SetValue(record, info.PropertyType.IsEnum ? Enum.ToObject(info.PropertyType, value) : value);
    }

    for (var i = 0; i < (phase == "push" ? 0 : changes); i++)
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
        members.Add(member);
        if ((i + 1) % 5000 == 0 || i == changes - 1)
        {
            await members.SaveChangesAsync();
            members.ChangeTracker.Clear();
        }
    }
}

Console.WriteLine($"written at the child: {changes} member changes in {written.Elapsed.TotalSeconds:F1} s (untimed set-up)");
if (phase == "write")
{
    return 0;
}

var pusher = app.Services.GetRequiredService<FederationPusher>();
var cpu = Process.GetCurrentProcess().TotalProcessorTime;
var timer = Stopwatch.StartNew();
var report = await pusher.PushAsync(CancellationToken.None) ?? throw new InvalidOperationException("the child has no active parent link");
var seconds = timer.Elapsed.TotalSeconds;
cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;

await using var parent = new SqliteConnection($"Data Source={Path.Combine(parentHome, "data", "db", "members.db")};Pooling=False");
await parent.OpenAsync();
await using var count = parent.CreateCommand();
count.CommandText = $"SELECT COUNT(*) FROM members WHERE \"OriginNode\" = '{childId}'";
var atParent = (long)(await count.ExecuteScalarAsync())!;

Console.WriteLine($"pushed: {report.Applied} applied, {report.Skipped} skipped, {report.Batches} batches");
Console.WriteLine($"at the parent: {atParent} member replicas");
Console.WriteLine($"time to converge: {seconds:F2} s");
Console.WriteLine($"throughput: {changes / seconds:F0} changes/s (target >= 20000)");
// Wall time depends on what else runs on the machine; CPU time much less so.
Console.WriteLine($"child CPU during the push: {cpu.TotalSeconds:F2} s; load average: {File.ReadAllText("/proc/loadavg").Trim()}");
return atParent == changes && report.Applied == changes ? 0 : 1;
