using DangVu.Core.Abstractions.Federation;

namespace DangVu.Core.Federation;

/// <summary>
/// Records addressed beyond their owner's subtree (<see cref="ReplicaFlow.AddressField"/>): a
/// transfer letter to another node's chi bộ travels up to the common ancestor and down to the
/// node whose subtree holds the addressee, and the handover comes back the same way. Everything
/// else still flows by owner only, and a child still pulls only what is addressed to its subtree.
/// </summary>
internal static class ReplicaAddressing
{
    /// <summary>Whether records of <paramref name="recordType"/> may carry an address.</summary>
    public static bool Addressable(IReplicaHandler? handler, string recordType) =>
        ReplicaApplier.FlowOf(handler, recordType)?.AddressField is { Length: > 0 };

    /// <summary>The organisation code <paramref name="record"/> is addressed to; empty for none.</summary>
    public static string AddressOf(IReplicaHandler? handler, string recordType, object record) =>
        ReplicaApplier.FlowOf(handler, recordType)?.AddressField is { Length: > 0 } field
            ? record.GetType().GetProperty(field)?.GetValue(record) as string ?? ""
            : "";
}
