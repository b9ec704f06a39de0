using System.Collections.Concurrent;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace DangVu.Core.Abstractions.Storage;

/// <summary>
/// One value for <see cref="SqliteRowInsert"/>, unboxed: a number (integers, booleans, <see cref="DateTime"/> ticks,
/// <see cref="DateOnly"/> day numbers), a <see cref="System.Guid"/> or a string. An import binds millions of values: as
/// objects each number, date and id was a box the garbage collector then had to sweep.
/// </summary>
internal readonly record struct SqliteCell(long Number, Guid Guid, string? Text, bool IsNull)
{
    public static readonly SqliteCell Null = new(0, default, null, true);

    public static SqliteCell From(long value) => new(value, default, null, false);

    public static SqliteCell From(int value) => From((long)value);

    public static SqliteCell From(short value) => From((long)value);

    public static SqliteCell From(byte value) => From((long)value);

    public static SqliteCell From(bool value) => From(value ? 1L : 0L);

    public static SqliteCell From(DateTime value) => From(value.Ticks);

    public static SqliteCell From(DateOnly value) => From((long)value.DayNumber);

    public static SqliteCell From(Guid value) => new(0, value, null, false);

    public static SqliteCell From(string? value) => value is null ? Null : new(0, default, value, false);

    /// <summary>A provider value given as an object (null or <see cref="DBNull"/> for NULL).</summary>
    public static SqliteCell FromObject(object? value) => value switch
    {
        null or DBNull => Null,
        string s => From(s),
        Guid g => From(g),
        DateTime d => From(d),
        DateOnly d => From(d),
        bool b => From(b),
        _ => From(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)),
    };
}

/// <summary>
/// Reads a mapped property of an entity as the provider stores it (after the mapping's converter) into a
/// <see cref="SqliteCell"/>, through a delegate compiled once per property and converter and kept for the process.
/// </summary>
internal static class SqliteCellReader
{
    private static readonly ConcurrentDictionary<(Type Entity, string Property, Type? Converter), Func<object, SqliteCell>> Readers = new();

    /// <summary>The property's reader, or null for a shadow property (no member to read: the caller goes through EF's getter).</summary>
    public static Func<object, SqliteCell>? For(IProperty property, RelationalTypeMapping mapping) =>
        ((System.Reflection.MemberInfo?)property.PropertyInfo ?? property.FieldInfo) is { } member
            ? Readers.GetOrAdd((property.DeclaringType.ClrType, property.Name, mapping.Converter?.GetType()), _ => Compile(property, member, mapping))
            : null;

    private static Func<object, SqliteCell> Compile(IProperty property, System.Reflection.MemberInfo member, RelationalTypeMapping mapping)
    {
        var entity = Expression.Parameter(typeof(object), "entity");
        Expression value = Expression.MakeMemberAccess(Expression.Convert(entity, property.DeclaringType.ClrType), member);
        Expression? isNull = null;
        if (Nullable.GetUnderlyingType(value.Type) is not null)
        {
            isNull = Expression.Not(Expression.Property(value, nameof(Nullable<int>.HasValue)));
            value = Expression.Property(value, nameof(Nullable<int>.Value));
        }
        else if (!value.Type.IsValueType && mapping.Converter is not null)
        {
            isNull = Expression.Equal(value, Expression.Constant(null, value.Type));
        }

        if (mapping.Converter is { } conversion)
        {
            var toProvider = conversion.ConvertToProviderExpression;
            value = Expression.Invoke(toProvider, Expression.Convert(value, toProvider.Parameters[0].Type));
        }

        var cell = Cell(value);
        var body = isNull is null ? cell : Expression.Condition(isNull, Expression.Field(null, typeof(SqliteCell), nameof(SqliteCell.Null)), cell);
        return Expression.Lambda<Func<object, SqliteCell>>(body, entity).Compile();
    }

    // SqliteCell.From for the value's type; a nullable value (a converter's nullable provider type) through its object.
    private static Expression Cell(Expression value)
    {
        var from = typeof(SqliteCell).GetMethod(nameof(SqliteCell.From), [value.Type]);
        return from is not null
            ? Expression.Call(from, value)
            : Expression.Call(typeof(SqliteCell).GetMethod(nameof(SqliteCell.FromObject))!, Expression.Convert(value, typeof(object)));
    }
}
