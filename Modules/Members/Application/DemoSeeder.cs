using DangVu.Core.Abstractions.Organisation;
using DangVu.Core.Abstractions.Security;
using DangVu.Modules.Members.Domain;
using DangVu.Modules.Members.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DangVu.Modules.Members.Application;

/// <summary>
/// Demo data on request (<c>Modules:members:DemoMembers = N</c>, set by <c>build/run.sh --demo</c>):
/// when the member database is empty, registers N generated member files across the chi bộ this
/// node owns, through the same operation an office clerk uses. Never runs otherwise.
/// </summary>
internal sealed class DemoSeeder(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<DemoSeeder> logger) : IHostedService
{
    public const string Setting = "DemoMembers";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var count = configuration.GetValue(Setting, 0);
        if (count <= 0)
        {
            return;
        }

        using var _ = Actor.Use(Actor.System);
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        if (await services.GetRequiredService<MembersDbContext>().Members.AnyAsync(cancellationToken))
        {
            return;
        }

        var nodeScope = services.GetRequiredService<INodeScope>();
        var directory = services.GetRequiredService<IOrganisationDirectory>();
        var cells = new List<OrgUnitInfo>();
        foreach (var root in await nodeScope.OwnedRootsAsync(cancellationToken))
        {
            cells.AddRange((await directory.SubtreeAsync(root.Id, cancellationToken))
                .Where(o => o.Kind is OrgUnitKind.GrassrootsCell or OrgUnitKind.SubordinateCell && o.ValidTo is null));
        }

        if (cells.Count == 0)
        {
            logger.LogWarning("Demo members skipped: no chi bộ in the organisation tree yet (import one with 'dangvu org import')");
            return;
        }

        var admissions = services.GetRequiredService<AdmissionService>();
        var today = services.GetRequiredService<MembersClock>().Today;
        var created = 0;
        foreach (var member in SyntheticMembers.Generate(count, seed: 2026, today, cells.Count))
        {
            await admissions.RegisterAsync(new RegisterMemberCommand(
                cells[member.CellIndex].Id, member.Profile, member.Status, member.AdmissionDate, $"{created + 1}-QĐ/ĐU",
                member.CeremonyDate, member.OfficialDate, member.OfficialDate is null ? null : $"{created + 1}-QĐ/CT"), cancellationToken);
            created++;
        }

        logger.LogInformation("Demo data: {Count} member files registered across {Cells} chi bộ", created, cells.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
