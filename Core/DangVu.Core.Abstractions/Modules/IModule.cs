namespace DangVu.Core.Abstractions.Modules;

/// <summary>
/// The one class a module implements. The host finds it through <c>module.json</c>, creates it
/// once, asks it to describe itself (<see cref="ConfigureServices"/>) before the container is
/// built and to map its endpoints (<see cref="MapEndpoints"/>) after.
/// </summary>
public interface IModule
{
    /// <summary>Registers services and declares storage, permissions, navigation and event subscriptions.</summary>
    void ConfigureServices(IModuleBuilder module);

    /// <summary>Maps the module's RPC services and web endpoints.</summary>
    void MapEndpoints(IModuleEndpoints endpoints)
    {
    }
}
