namespace DangVu.Core.Abstractions.Security;

/// <summary>What kind of party is acting.</summary>
public enum ActorKind
{
    /// <summary>The host itself: start-up work, background delivery.</summary>
    System = 0,

    /// <summary>A signed-in person (web cookie or RPC bearer token).</summary>
    User = 1,

    /// <summary>Another node of the federation (client certificate).</summary>
    Node = 2,

    /// <summary>An administrator at the server's command line.</summary>
    Cli = 3,
}

/// <summary>
/// Who is acting, for authorization and the audit trail.
/// </summary>
/// <param name="Kind">User, node, command line or the system itself.</param>
/// <param name="Name">User name, node id, OS user or "system"; shown in the audit log.</param>
/// <param name="UserId">The user account, for <see cref="ActorKind.User"/>.</param>
/// <param name="Address">Where the request came from (IP address), when known.</param>
public sealed record Actor(ActorKind Kind, string Name, Guid? UserId = null, string? Address = null)
{
    public static Actor System { get; } = new(ActorKind.System, "system");

    /// <summary>The actor of the current request, call or job; <see cref="System"/> outside any.</summary>
    public static Actor Current => CurrentSlot.Value ?? System;

    private static readonly AsyncLocal<Actor?> CurrentSlot = new();

    /// <summary>Makes <paramref name="actor"/> current until the returned scope is disposed.</summary>
    public static IDisposable Use(Actor actor)
    {
        var previous = CurrentSlot.Value;
        CurrentSlot.Value = actor;
        return new Restore(previous);
    }

    private sealed class Restore(Actor? previous) : IDisposable
    {
        public void Dispose() => CurrentSlot.Value = previous;
    }
}
