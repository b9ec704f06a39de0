using DangVu.Core.Abstractions.Events;
using DangVu.Core.Abstractions.Storage;
using Google.Protobuf;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Core.Abstractions.Modules;

/// <summary>Given to <see cref="IModule.ConfigureServices"/>: where a module declares what it brings.</summary>
public interface IModuleBuilder
{
    ModuleContext Context { get; }

    /// <summary>The host's container; a module adds its own services here.</summary>
    IServiceCollection Services { get; }

    /// <summary>The configuration section <c>Modules:&lt;id&gt;</c> of the installation.</summary>
    IConfiguration Configuration { get; }

    /// <summary>
    /// Declares the module's storage: its DbContext, kept in its own database file (SQLite) or
    /// schema (PostgreSQL) and migrated by its migrations at start-up and by <c>dangvu db migrate</c>.
    /// A module has at most one.
    /// </summary>
    IModuleBuilder AddStorage<TContext>() where TContext : ModuleDbContext;

    /// <summary>Declares permissions that roles can be granted (names like <c>members.read</c>).</summary>
    IModuleBuilder AddPermissions(params PermissionDefinition[] permissions);

    /// <summary>Adds entries to the web shell's navigation.</summary>
    IModuleBuilder AddNavigation(params NavigationItem[] items);

    /// <summary>
    /// Adds a verb to the command line, <c>dangvu &lt;module-id&gt; &lt;command.Name&gt;</c>, run by
    /// <typeparamref name="THandler"/> (registered scoped) in a scope of its own.
    /// </summary>
    IModuleBuilder AddCommand<THandler>(ModuleCommand command) where THandler : class, IModuleCommandHandler;

    /// <summary>
    /// Subscribes a handler to an integration event published by any module. The handler runs in
    /// a scope with this module's DbContext, in one transaction with the inbox entry that makes
    /// redelivery harmless. Requires <see cref="AddStorage{TContext}"/>.
    /// </summary>
    IModuleBuilder Subscribe<TEvent, THandler>()
        where TEvent : IMessage<TEvent>, new()
        where THandler : class, IIntegrationEventHandler<TEvent>;
}
