using DangVu.Core.Abstractions.Errors;

namespace DangVu.Host.Web.Components;

/// <summary>Errors of one form, by field; a field of "" is about the whole form.</summary>
internal static class FormErrors
{
    /// <summary>Puts a Core error next to the field it names (mapped to the form's own field names).</summary>
    public static void Add(Dictionary<string, string> errors, DangVuException exception, bool english, IReadOnlyDictionary<string, string>? fieldMap = null)
    {
        var message = english ? exception.MessageEn : exception.MessageVi;
        var field = exception is InvalidArgumentException invalid ? invalid.Field : "";
        if (fieldMap is not null && fieldMap.TryGetValue(field, out var mapped))
        {
            field = mapped;
        }

        errors[field] = message;
    }
}
