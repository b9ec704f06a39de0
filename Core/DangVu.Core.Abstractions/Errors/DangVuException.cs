namespace DangVu.Core.Abstractions.Errors;

/// <summary>
/// An error a person can act on. Each kind maps to one gRPC status and one HTTP status, in one
/// place in Core. Messages are Vietnamese first, then English.
/// </summary>
public abstract class DangVuException(string messageVi, string messageEn, Exception? inner = null)
    : Exception($"{messageVi} ({messageEn})", inner)
{
    public string MessageVi { get; } = messageVi;
    public string MessageEn { get; } = messageEn;
}

/// <summary>The record asked for does not exist (or is not visible to the caller).</summary>
public sealed class NotFoundException(string messageVi, string messageEn)
    : DangVuException(messageVi, messageEn);

/// <summary>A field of the input is invalid; <see cref="Field"/> names it.</summary>
public sealed class InvalidArgumentException(string field, string messageVi, string messageEn)
    : DangVuException(messageVi, messageEn)
{
    public string Field { get; } = field;
}

/// <summary>A business rule refuses the operation; <see cref="Rule"/> names the rule.</summary>
public sealed class RuleViolationException(string rule, string messageVi, string messageEn)
    : DangVuException(messageVi, messageEn)
{
    public string Rule { get; } = rule;
}

/// <summary>The caller may not do this for this organisation.</summary>
public sealed class PermissionDeniedException(string messageVi, string messageEn)
    : DangVuException(messageVi, messageEn);

/// <summary>Someone else changed the record since it was read; nothing was saved.</summary>
public sealed class ConcurrencyConflictException(string messageVi, string messageEn, Exception? inner = null)
    : DangVuException(messageVi, messageEn, inner);
