using DangVu.Contracts.Core.V1;
using DangVu.Core.Federation;
using DangVu.Core.Modules;
using DangVu.Core.Platform;
using DangVu.Core.Storage;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace DangVu.Core.Hosting;

/// <summary>
/// <c>GET /health</c>: each module and its state, and whether storage is ready, as the JSON form
/// of <see cref="HealthReport"/>. 503 when storage is not ready, so load balancers and
/// monitoring see it; a failed module only degrades the node.
/// </summary>
internal static class HealthEndpoint
{
    public const string Path = "/health";

    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static async Task<IResult> HandleAsync(
        ModuleRegistry registry, StorageMigrator storage, NodeScope scope, DangVuInstallation installation, FederationStatus federation, CancellationToken cancellationToken)
    {
        var report = await BuildAsync(registry, storage, cancellationToken);
        report.Node = new NodeHealth { NodeId = installation.NodeId };
        report.Node.OwnedOrgUnits.AddRange((await scope.OwnedRootsAsync(cancellationToken)).Select(o => o.Code));
        report.Node.UnknownOrgUnits.AddRange(await scope.UnknownCodesAsync(cancellationToken));
        report.Federation = await FederationHealthAsync(federation, cancellationToken);
        return Results.Text(Json.Format(report), "application/json", System.Text.Encoding.UTF8,
            report.Storage.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<FederationHealth> FederationHealthAsync(FederationStatus federation, CancellationToken cancellationToken)
    {
        var status = await federation.ReadAsync(cancellationToken);
        var health = new FederationHealth { Initialised = status.Initialised };
        health.Links.AddRange(status.Links.Select(l => new FederationLinkHealth
        {
            Node = l.Node,
            Role = l.Role,
            State = l.State,
            Network = l.Network,
            LastSuccessAt = l.LastSuccessAt?.ToString("O") ?? "",
            LastError = l.LastError ?? "",
            HeldBack = l.HeldBack,
            LagSeconds = l.LagSeconds ?? -1,
        }));
        return health;
    }

    public static async Task<HealthReport> BuildAsync(ModuleRegistry registry, StorageMigrator storage, CancellationToken cancellationToken)
    {
        var report = new HealthReport
        {
            CoreVersion = ModuleLoader.CoreVersion.ToString(3),
            Storage = await storage.CheckAsync(cancellationToken),
        };
        report.Modules.AddRange(registry.Entries.Select(e => e.ToInfo()));
        report.Status = !report.Storage.Ready ? "unhealthy"
            : registry.Entries.Any(e => e.State == ModuleState.Failed) ? "degraded"
            : "healthy";
        return report;
    }
}
