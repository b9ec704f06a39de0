using DangVu.Core.Abstractions.Events;
using DangVu.Core.Abstractions.Modules;
using DangVu.Core.Abstractions.Storage;
using DangVu.Core.Events;
using DangVu.Core.Storage;
using Google.Protobuf;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Core.Modules;

/// <summary>
/// Collects what a module declares while it registers. Declarations take effect only when
/// registration succeeded (<see cref="Apply"/>), so a module that throws leaves nothing behind.
/// </summary>
internal sealed class ModuleBuilder(ModuleContext context, IServiceCollection services, IConfiguration configuration) : IModuleBuilder
{
    private readonly List<Action<IServiceCollection>> _deferred = [];
    private Type? _storage;
    private bool _subscribes;

    public ModuleContext Context { get; } = context;

    public IServiceCollection Services { get; } = services;

    public IConfiguration Configuration { get; } = configuration;

    public List<PermissionDefinition> Permissions { get; } = [];

    public List<NavigationItem> Navigation { get; } = [];

    public List<ModuleCommandRegistration> Commands { get; } = [];

    public IModuleBuilder AddStorage<TContext>() where TContext : ModuleDbContext
    {
        if (_storage is not null)
        {
            throw new InvalidOperationException(
                $"AddStorage được gọi hai lần ({_storage.Name}, {typeof(TContext).Name}); mỗi mô-đun chỉ có một DbContext (AddStorage was called twice; a module has one DbContext)");
        }

        _storage = typeof(TContext);
        _deferred.Add(s => s.AddModuleStorage<TContext>(Context.Id, Context.NodeId));
        return this;
    }

    public IModuleBuilder AddPermissions(params PermissionDefinition[] permissions)
    {
        foreach (var permission in permissions)
        {
            if (!permission.Name.StartsWith(Context.Id + ".", StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"Quyền '{permission.Name}' phải bắt đầu bằng '{Context.Id}.' (permission '{permission.Name}' must start with '{Context.Id}.')");
            }
        }

        Permissions.AddRange(permissions);
        return this;
    }

    public IModuleBuilder AddNavigation(params NavigationItem[] items)
    {
        Navigation.AddRange(items);
        return this;
    }

    public IModuleBuilder AddCommand<THandler>(ModuleCommand command) where THandler : class, IModuleCommandHandler
    {
        if (Commands.Any(c => c.Command.Name == command.Name))
        {
            throw new InvalidOperationException(
                $"Lệnh '{command.Name}' được khai báo hai lần (the command '{command.Name}' is declared twice)");
        }

        Commands.Add(new ModuleCommandRegistration(Context.Id, command, typeof(THandler)));
        Services.AddScoped<THandler>();
        return this;
    }

    public IModuleBuilder Subscribe<TEvent, THandler>()
        where TEvent : IMessage<TEvent>, new()
        where THandler : class, IIntegrationEventHandler<TEvent>
    {
        _subscribes = true;
        Services.AddScoped<THandler>();
        var subscription = EventSubscription.For<TEvent, THandler>(Context.Id);
        _deferred.Add(s => s.AddSingleton(subscription));
        return this;
    }

    /// <summary>Checks the declarations as a whole and registers what they imply.</summary>
    public void Apply()
    {
        if (_subscribes && _storage is null)
        {
            throw new InvalidOperationException(
                "Mô-đun đăng ký nhận sự kiện nhưng không khai báo AddStorage; hộp thư đến cần cơ sở dữ liệu của mô-đun " +
                "(the module subscribes to events but declares no storage; its inbox needs one)");
        }

        foreach (var action in _deferred)
        {
            action(Services);
        }
    }
}
