using Microsoft.AspNetCore.Routing;

namespace DangVu.Core.Abstractions.Modules;

/// <summary>Given to <see cref="IModule.MapEndpoints"/>: where a module maps RPC services and pages.</summary>
public interface IModuleEndpoints
{
    ModuleContext Context { get; }

    /// <summary>The host's endpoint routes.</summary>
    IEndpointRouteBuilder Routes { get; }
}
