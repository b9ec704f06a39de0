using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DangVu.Core.Abstractions.Storage;

/// <summary>The hash chain of an audit trail: how an entry's hash is computed and checked.</summary>
public static class AuditChain
{
    /// <summary>The previous hash of the first entry.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Truncates to microseconds, the precision every provider keeps.</summary>
    public static DateTime Normalize(DateTime at) => new(at.Ticks - (at.Ticks % 10), DateTimeKind.Utc);

    public static string ComputeHash(AuditEntry entry)
    {
        var text = string.Join('\u001f',
            entry.PreviousHash,
            Normalize(entry.At).ToString("O", CultureInfo.InvariantCulture),
            entry.ActorKind.ToString(CultureInfo.InvariantCulture),
            entry.ActorName,
            entry.ActorUserId?.ToString("N") ?? "",
            entry.Address ?? "",
            entry.Module,
            entry.RecordType,
            entry.RecordId,
            entry.Operation,
            entry.ChangedFields,
            entry.Detail ?? "");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
