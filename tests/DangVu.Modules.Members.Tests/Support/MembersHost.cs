using DangVu.Core.Abstractions.Calendar;
using DangVu.Core.Abstractions.Organisation;
using DangVu.Core.Abstractions.Security;
using DangVu.Core.Tests.Support;
using DangVu.Modules.Members.Application;
using DangVu.Modules.Members.Domain;
using DangVu.Modules.Members.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Modules.Members.Tests.Support;

/// <summary>
/// The Members module on real storage (SQLite file or PostgreSQL schema, migrated by the host's
/// migrator), with the in-memory organisation tree and authorizer, and a fixed "today".
/// Actors: <see cref="Secretary"/> of chi bộ A, <see cref="SecretaryB"/>, <see cref="SecretaryC"/>,
/// <see cref="WardOffice"/> (the whole ward, every permission).
/// </summary>
internal sealed class MembersHost : IAsyncDisposable
{
    public const string Secretary = "bithu.a";
    public const string SecretaryB = "bithu.b";
    public const string SecretaryC = "bithu.c";
    public const string WardOffice = "vanphong.phuong";
    public const string Reader = "chi.doc";

    public static readonly DateOnly Today = new(2026, 11, 23);

    private static readonly string[] Everything =
    [
        MembersPermissions.Read, MembersPermissions.Write, MembersPermissions.Lifecycle, MembersPermissions.Dues, MembersPermissions.ManageRules,
    ];

    private readonly TestStorage _storage;
    private string _actor = WardOffice;

    private MembersHost(TestStorage storage)
    {
        _storage = storage;
    }

    public TestAuthorizer Authorizer { get; private set; } = null!;

    public string ModuleId { get; private set; } = "";

    public TestNodeScope NodeScope { get; private set; } = null!;

    public TestStorage Storage => _storage;

    public static async Task<MembersHost> StartAsync(string provider = "sqlite", Action<IServiceCollection, string>? configure = null)
    {
        var storage = new TestStorage(provider);
        var host = new MembersHost(storage);
        host.ModuleId = storage.ModuleId("members");
        storage.AddModule<MembersDbContext>(host.ModuleId);
        var directory = new TestOrganisation();
        host.Authorizer = new TestAuthorizer(directory)
            .Grant(Secretary, TestOrganisation.CellA, false, Everything)
            .Grant(SecretaryB, TestOrganisation.CellB, false, Everything)
            .Grant(SecretaryC, TestOrganisation.CellC, false, Everything)
            .Grant(WardOffice, TestOrganisation.Ward, true, [.. Everything, CorePermissions.ReadClassified])
            .Grant(Reader, TestOrganisation.CellA, false, MembersPermissions.Read);
        storage.Services.AddSingleton<IOrganisationDirectory>(directory);
        host.NodeScope = new TestNodeScope(directory);
        storage.Services.AddSingleton<INodeScope>(host.NodeScope);
        storage.Services.AddSingleton<IAuthorizer>(host.Authorizer);
        storage.Services.AddSingleton<IWorkingCalendar, TestCalendar>();
        storage.Services.AddSingleton<TimeProvider>(new FixedTime(new DateTimeOffset(Today.ToDateTime(new TimeOnly(9, 0)), TimeSpan.FromHours(7))));
        storage.Services.AddMembersApplication();
        configure?.Invoke(storage.Services, host.ModuleId);
        await storage.StartAsync();
        return host;
    }

    /// <summary>Makes <paramref name="actor"/> the current actor for what follows in the test.</summary>
    public MembersHost As(string actor)
    {
        _actor = actor;
        return this;
    }

    /// <summary>Runs one operation in its own scope (one request), as the current actor.</summary>
    public async Task<TResult> Run<TService, TResult>(Func<TService, Task<TResult>> operation) where TService : notnull
    {
        using var actor = Actor.Use(new Actor(ActorKind.User, _actor));
        using var scope = _storage.Provider!.CreateScope();
        return await operation(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public async Task Run<TService>(Func<TService, Task> operation) where TService : notnull
    {
        using var actor = Actor.Use(new Actor(ActorKind.User, _actor));
        using var scope = _storage.Provider!.CreateScope();
        await operation(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public Task<TResult> Db<TResult>(Func<MembersDbContext, Task<TResult>> query) => Run(query);

    public Task<Member> RegisterOfficialAsync(string name, Guid cell, DateOnly admitted, Gender gender = Gender.Male, DateOnly? born = null, string? card = null) =>
        Run<AdmissionService, Member>(s => s.RegisterAsync(
            new RegisterMemberCommand(cell, Sample.Profile(name, gender, born ?? admitted.AddYears(-25), card: card), MemberStatus.Official,
                admitted, "01-QĐ/ĐU", admitted.AddDays(7), admitted.AddDays(7).AddMonths(12), "02-NQ/CB"),
            CancellationToken.None));

    public Task<Member> AdmitAsync(string name, Guid cell, DateOnly decision, IReadOnlyList<IntroducerInfo> introducers, DateOnly? born = null, Gender gender = Gender.Female) =>
        Run<AdmissionService, Member>(s => s.AdmitAsync(
            new AdmitMemberCommand(cell, Sample.Profile(name, gender, born ?? decision.AddYears(-24)), "15-QĐ/ĐU", decision, decision.AddDays(10), introducers),
            CancellationToken.None));

    /// <summary>Two official members of chi bộ A who may introduce an applicant.</summary>
    public async Task<IReadOnlyList<IntroducerInfo>> IntroducersAsync()
    {
        var first = await RegisterOfficialAsync("Trần Văn Giới", TestOrganisation.CellA, new DateOnly(2001, 3, 1));
        var second = await RegisterOfficialAsync("Lê Thị Thiệu", TestOrganisation.CellA, new DateOnly(2005, 6, 1), Gender.Female);
        return
        [
            new IntroducerInfo(first.FullName, first.Id, new DateOnly(2020, 1, 1)),
            new IntroducerInfo(second.FullName, second.Id, new DateOnly(2021, 9, 1)),
        ];
    }

    public async ValueTask DisposeAsync()
    {
        await _storage.DisposeAsync();
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
    }
}

/// <summary>Valid sample data: profiles with citizen IDs that match gender and year of birth.</summary>
internal static class Sample
{
    private static int _serial = 100_000;

    public static string CitizenId(Gender gender, DateOnly born, string province = "001")
    {
        var code = (born.Year / 100 - 19) * 2 + (gender == Gender.Female ? 1 : 0);
        return $"{province}{code}{born.Year % 100:D2}{Interlocked.Increment(ref _serial):D6}";
    }

    public static MemberProfile Profile(string name, Gender gender, DateOnly born, string? card = null, string ethnicity = "01", string religion = "00") => new()
    {
        FullName = name,
        Gender = gender,
        DateOfBirth = born,
        CitizenId = CitizenId(gender, born),
        PlaceOfBirth = "Hà Nội",
        Hometown = "Nam Định",
        EthnicityCode = ethnicity,
        ReligionCode = religion,
        GeneralEducation = "12/12",
        TheoryLevel = TheoryLevel.Intermediate,
        CardNumber = card,
        Occupation = "Giáo viên",
    };
}
