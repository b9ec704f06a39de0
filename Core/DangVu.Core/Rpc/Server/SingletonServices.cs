using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Core.Rpc.Server;

/// <summary>
/// The root provider's services that are registered as singletons, and nothing else: resolving a
/// scoped service from the root would silently make it live as long as the process.
/// </summary>
internal sealed class SingletonServices(IServiceProvider root, IServiceCollection registrations) : IServiceProvider
{
    public object? GetService(Type serviceType)
    {
        // The last registration wins, as it does for the container.
        for (var i = registrations.Count - 1; i >= 0; i--)
        {
            var registration = registrations[i];
            if (registration.ServiceType == serviceType && !registration.IsKeyedService)
            {
                return registration.Lifetime == ServiceLifetime.Singleton ? root.GetService(serviceType) : null;
            }
        }

        return null;
    }
}
