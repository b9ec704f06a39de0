using System.Buffers;
using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DangVu.Core.Abstractions.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace DangVu.Core.Federation;

/// <summary>
/// A record's payload: its mapped properties as JSON, by name in ordinal order; for a summary
/// flow only the named ones and the <see cref="ReplicatedRecord"/> columns. Each property's writer
/// is compiled once per record type and flow: a typed read of the property, then what the
/// serializer's own converter for that type would write (a text, number or flag straight to the
/// writer; any other type through its JSON contract), without boxing the value.
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

    /// <summary>Types whose default converter writes the value with the <see cref="Utf8JsonWriter"/> method of that type (string: null as null).</summary>
    private static readonly Dictionary<Type, MethodInfo> Direct = new[]
    {
        (typeof(string), nameof(Utf8JsonWriter.WriteStringValue)),
        (typeof(Guid), nameof(Utf8JsonWriter.WriteStringValue)),
        (typeof(DateTime), nameof(Utf8JsonWriter.WriteStringValue)),
        (typeof(int), nameof(Utf8JsonWriter.WriteNumberValue)),
        (typeof(long), nameof(Utf8JsonWriter.WriteNumberValue)),
        (typeof(bool), nameof(Utf8JsonWriter.WriteBooleanValue)),
    }.ToDictionary(d => d.Item1, d => typeof(Utf8JsonWriter).GetMethod(d.Item2, [d.Item1])!);

    private static readonly MethodInfo SerializeTyped = typeof(JsonSerializer).GetMethods()
        .Single(m => m.Name == nameof(JsonSerializer.Serialize) && m.IsGenericMethodDefinition && m.GetParameters() is [{ ParameterType.Name: nameof(Utf8JsonWriter) }, _, { ParameterType.IsGenericType: true }]);

    private readonly (JsonEncodedText Name, Action<Utf8JsonWriter, object> Write)[] _fields;

    private PayloadSerializer(IEntityType type, IReadOnlySet<string>? summary)
    {
        _fields = type.GetProperties()
            .Where(p => p.PropertyInfo is not null
                && (summary is null || summary.Contains(p.Name) || p.PropertyInfo.DeclaringType == typeof(ReplicatedRecord)))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => (JsonEncodedText.Encode(p.Name, Json.Encoder), Compile(type.ClrType, p.GetMemberInfo(forMaterialization: false, forSet: false), p.ClrType)))
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
        foreach (var (name, write) in _fields)
        {
            writer.WritePropertyName(name);
            write(writer, record);
        }

        writer.WriteEndObject();
    }

    /// <summary>(writer, record) => the property's value written as the serializer would write it.</summary>
    /// <remarks><paramref name="member"/> is what EF reads the property through (its backing field, where it has one).</remarks>
    private static Action<Utf8JsonWriter, object> Compile(Type entity, MemberInfo member, Type type)
    {
        var writer = Expression.Parameter(typeof(Utf8JsonWriter), "writer");
        var record = Expression.Parameter(typeof(object), "record");
        var value = Expression.MakeMemberAccess(Expression.Convert(record, entity), member);
        Expression body;
        if (Direct.TryGetValue(type, out var direct))
        {
            body = Expression.Call(writer, direct, value);
        }
        else if (Nullable.GetUnderlyingType(type) is { } inner && Direct.TryGetValue(inner, out var underlying))
        {
            // Read once into a local: the property is tested and then written.
            var local = Expression.Variable(type, "value");
            body = Expression.Block([local], Expression.Assign(local, value), Expression.Condition(Expression.Property(local, nameof(Nullable<int>.HasValue)),
                Expression.Call(writer, underlying, Expression.Property(local, nameof(Nullable<int>.Value))),
                Expression.Call(writer, typeof(Utf8JsonWriter).GetMethod(nameof(Utf8JsonWriter.WriteNullValue))!)));
        }
        else
        {
            body = Expression.Call(SerializeTyped.MakeGenericMethod(type), writer, value, Expression.Constant(Json.GetTypeInfo(type), typeof(JsonTypeInfo<>).MakeGenericType(type)));
        }

        return Expression.Lambda<Action<Utf8JsonWriter, object>>(body, writer, record).Compile();
    }
}
