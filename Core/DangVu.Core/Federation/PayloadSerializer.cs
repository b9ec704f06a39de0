using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DangVu.Core.Abstractions.Storage;
using Microsoft.EntityFrameworkCore.Metadata;

namespace DangVu.Core.Federation;

/// <summary>
/// A record's payload: its mapped properties as JSON, by name in ordinal order; for a summary
/// flow only the named ones and the <see cref="ReplicatedRecord"/> columns. The property list and
/// each property's JSON contract are worked out once per record type and flow, not per record.
/// </summary>
internal sealed class PayloadSerializer
{
    // Vietnamese text stays readable in the payload; it is data, never embedded in HTML.
    private static readonly JsonSerializerOptions Json = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    private static readonly ConcurrentDictionary<(IEntityType, IReadOnlySet<string>?), PayloadSerializer> Cache = new();

    private readonly (JsonEncodedText Name, IClrPropertyGetter Getter, JsonTypeInfo Contract)[] _fields;

    private PayloadSerializer(IEntityType type, IReadOnlySet<string>? summary)
    {
        _fields = type.GetProperties()
            .Where(p => p.PropertyInfo is not null
                && (summary is null || summary.Contains(p.Name) || p.PropertyInfo.DeclaringType == typeof(ReplicatedRecord)))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => (JsonEncodedText.Encode(p.Name, Json.Encoder), p.GetGetter(), Json.GetTypeInfo(p.ClrType)))
            .ToArray();
    }

    public static PayloadSerializer For(IEntityType type, IReadOnlySet<string>? summary) =>
        Cache.GetOrAdd((type, summary), key => new PayloadSerializer(key.Item1, key.Item2));

    /// <summary>Writes <paramref name="record"/> into <paramref name="buffer"/> (cleared first).</summary>
    public void Write(object record, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Json.Encoder, SkipValidation = true });
        writer.WriteStartObject();
        foreach (var (name, getter, contract) in _fields)
        {
            writer.WritePropertyName(name);
            JsonSerializer.Serialize(writer, getter.GetClrValue(record), contract);
        }

        writer.WriteEndObject();
    }
}
