using DangVu.Contracts.Core.V1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Core.Modules;

/// <summary>
/// Lets each loaded module register its services, in dependency order. A module that throws is
/// marked failed and its registrations are taken back out; so are the modules that depend on it.
/// </summary>
internal static class ModuleRegistrar
{
    public static ModuleRegistry Register(IServiceCollection services, IReadOnlyList<ModuleEntry> entries, IConfiguration configuration)
    {
        var registry = new ModuleRegistry(entries);
        var byId = entries.ToDictionary(e => e.Id, StringComparer.Ordinal);
        foreach (var entry in entries.Where(e => e.IsLoaded))
        {
            var failedDependency = entry.Manifest!.Dependencies.FirstOrDefault(d => byId[d].State != ModuleState.Loaded);
            if (failedDependency is not null)
            {
                entry.MarkFailed($"cần mô-đun '{failedDependency}' nhưng mô-đun đó bị lỗi (needs module '{failedDependency}', which failed): {byId[failedDependency].Reason}");
                continue;
            }

            var before = services.Count;
            var builder = new ModuleBuilder(entry.Context!, services, configuration.GetSection($"Modules:{entry.Id}"));
            try
            {
                entry.Instance!.ConfigureServices(builder);
                builder.Apply();
                registry.Permissions.AddRange(builder.Permissions);
                registry.Navigation.AddRange(builder.Navigation);
                registry.Commands.AddRange(builder.Commands);
            }
            catch (Exception ex)
            {
                while (services.Count > before)
                {
                    services.RemoveAt(services.Count - 1);
                }

                entry.MarkFailed($"lỗi khi đăng ký dịch vụ của mô-đun: {ex.Message} (the module failed while registering its services)");
            }
        }

        return registry;
    }
}
