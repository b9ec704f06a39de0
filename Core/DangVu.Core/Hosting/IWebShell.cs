using DangVu.Core.Modules;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Core.Hosting;

/// <summary>
/// The web shell's part in composing the application; the Host supplies it, so Core does not
/// depend on the pages. Called in this order: services, authentication (before the actor is
/// established for a request), then endpoints (after the modules' own).
/// </summary>
internal interface IWebShell
{
    void ConfigureServices(IServiceCollection services, DangVuInstallation installation);

    /// <summary>Authentication, anti-forgery, security headers: middleware that must run before <see cref="ActorMiddleware"/>.</summary>
    void UseBeforeActor(WebApplication app);

    /// <summary>Pages and the endpoints behind them, including the modules' pages from their assemblies.</summary>
    void MapEndpoints(WebApplication app, ModuleRegistry registry);
}
