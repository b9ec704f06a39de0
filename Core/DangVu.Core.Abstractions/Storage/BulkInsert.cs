using System.Buffers;
using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DangVu.Core.Abstractions.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace DangVu.Core.Abstractions.Storage;

/// <summary>
/// Writes many new rows of mapped entities on the context's connection and transaction, without
/// change tracking: binary COPY on PostgreSQL, prepared multi-row INSERTs elsewhere (SQLite). Values go through the provider's type
/// mappings (converters, Guid/date formats), so rows read back exactly as EF would have written
/// them, on SQLite and PostgreSQL alike. Store-generated integer keys (feed and audit sequences)
/// are left to the database. <see cref="UpsertAsync"/> writes rows that may exist (replicas); on
/// SQLite it passes each chunk of rows as one JSON text that SQLite itself takes apart.
/// </summary>
internal sealed class BulkInsert
{
    // Providers find a bound value by name with a linear search, so many values per statement cost
    // quadratically: a few rows per prepared statement is the fastest (SQLite steps rows in-process).
    private const int MaxParameters = 400;
    private const int MaxRowsPerStatement = 8;

    // An upsert on SQLite: the rows of one statement as JSON, up to about this many bytes. Kept under the large
    // object heap's 85,000 bytes, buffer and copy are short-lived small objects, not a gen-2 collection each.
    private const int JsonBytesPerStatement = 64 * 1024;

    private readonly DbContext _context;
    private readonly Dictionary<(Type, string?), TableWriter> _writers = [];

    public BulkInsert(DbContext context)
    {
        _context = context;
    }

    /// <summary>The delimited names of the tables written so far.</summary>
    public IEnumerable<string> Tables => _writers.Values.Select(w => w.Table);

    /// <summary>Inserts <paramref name="rows"/>, all of the mapped type <paramref name="type"/>.</summary>
    public Task WriteAsync(Type type, IReadOnlyList<object> rows, CancellationToken cancellationToken) =>
        WriteAsync(type, rows, null, cancellationToken);

    /// <summary>
    /// Inserts <paramref name="rows"/> or, where a row with the same primary key exists, replaces its
    /// other columns — only where the stored <paramref name="version"/> is lower than the new one and
    /// every column of <paramref name="sameAs"/> is equal (a prepared <c>INSERT … ON CONFLICT DO UPDATE
    /// … WHERE</c> on both providers). The rows must have distinct keys.
    /// </summary>
    public Task UpsertAsync(Type type, IReadOnlyList<object> rows, string version, IReadOnlyList<string> sameAs, CancellationToken cancellationToken) =>
        WriteAsync(type, rows, new Upsert(version, sameAs), cancellationToken);

    private async Task WriteAsync(Type type, IReadOnlyList<object> rows, Upsert? upsert, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var key = (type, upsert?.ToString());
        if (!_writers.TryGetValue(key, out var writer))
        {
            writer = new TableWriter(_context, type, upsert);
            _writers[key] = writer;
        }

        await writer.WriteAsync(rows, cancellationToken);
    }

    /// <summary>Which stored rows an upsert may replace: a lower <see cref="Version"/> and equal <see cref="SameAs"/> columns (property names).</summary>
    private sealed record Upsert(string Version, IReadOnlyList<string> SameAs)
    {
        public override string ToString() => Version + ":" + string.Join(",", SameAs);
    }

    private sealed class TableWriter
    {
        private readonly DbContext _context;
        private readonly string _table;
        private readonly (IProperty Property, RelationalTypeMapping Mapping, IClrPropertyGetter Getter)[] _columns;
        private readonly int _rowsPerStatement;
        private readonly string? _onConflict;
        private readonly JsonColumn[]? _json;
        private DbCommand? _full;
        private DbCommand? _jsonCommand;
        private ArrayBufferWriter<byte>? _jsonBuffer;

        public string Table => _table;

        public TableWriter(DbContext context, Type clrType, Upsert? upsert)
        {
            _context = context;
            var entityType = context.Model.FindEntityType(clrType)
                ?? throw new InvalidOperationException($"{clrType.Name} is not mapped by {context.GetType().Name}.");
            var sql = context.GetService<ISqlGenerationHelper>();
            _table = sql.DelimitIdentifier(entityType.GetTableName()!, entityType.GetSchema());
            _columns = entityType.GetProperties()
                .Where(p => !IsStoreGeneratedKey(p))
                .Select(p => (p, (RelationalTypeMapping)p.GetRelationalTypeMapping(), p.GetGetter()))
                .ToArray();
            _rowsPerStatement = Math.Clamp(MaxParameters / _columns.Length, 1, MaxRowsPerStatement);
            _onConflict = upsert is null ? null : OnConflict(entityType, upsert, sql);
            _json = _onConflict is not null && context.Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite" ? JsonColumns(_columns) : null;
        }

        // "ON CONFLICT (key) DO UPDATE SET c = excluded.c, … WHERE t.version < excluded.version AND t.x = excluded.x": the same text on SQLite and PostgreSQL.
        private string OnConflict(IEntityType entityType, Upsert upsert, ISqlGenerationHelper sql)
        {
            string Column(string property) => sql.DelimitIdentifier((entityType.FindProperty(property)
                ?? throw new InvalidOperationException($"{entityType.ClrType.Name} has no property {property}.")).GetColumnName());
            var key = entityType.FindPrimaryKey()!.Properties;
            var set = _columns.Where(c => !key.Contains(c.Property)).Select(c => sql.DelimitIdentifier(c.Property.GetColumnName()));
            var guard = upsert.SameAs.Select(p => $"t.{Column(p)} = excluded.{Column(p)}").Prepend($"t.{Column(upsert.Version)} < excluded.{Column(upsert.Version)}");
            return $" ON CONFLICT ({string.Join(", ", key.Select(p => sql.DelimitIdentifier(p.GetColumnName())))}) DO UPDATE SET "
                + string.Join(", ", set.Select(c => $"{c} = excluded.{c}")) + " WHERE " + string.Join(" AND ", guard);
        }

        public async Task WriteAsync(IReadOnlyList<object> rows, CancellationToken cancellationToken)
        {
            if (_onConflict is null && _context.Database.GetDbConnection() is NpgsqlConnection npgsql)
            {
                await CopyAsync(npgsql, rows, cancellationToken);
                return;
            }

            if (_json is not null)
            {
                await UpsertJsonAsync(rows, cancellationToken);
                return;
            }

            var offset = 0;
            while (offset < rows.Count)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var count = Math.Min(_rowsPerStatement, rows.Count - offset);
                var command = count == _rowsPerStatement ? _full ??= Create(count) : Create(count);
                command.Transaction = _context.Database.CurrentTransaction?.GetDbTransaction();
                var parameter = 0;
                for (var r = 0; r < count; r++)
                {
                    var row = rows[offset + r];
                    foreach (var (_, mapping, getter) in _columns)
                    {
                        var value = getter.GetClrValue(row);
                        if (value is not null && mapping.Converter is { } converter)
                        {
                            value = converter.ConvertToProvider(value);
                        }

                        command.Parameters[parameter++].Value = value ?? DBNull.Value;
                    }
                }

                await command.ExecuteNonQueryAsync(cancellationToken);
                if (!ReferenceEquals(command, _full))
                {
                    await command.DisposeAsync();
                }

                offset += count;
            }
        }

        /// <summary>
        /// SQLite: <c>INSERT … SELECT value -&gt;&gt; 0, … FROM jsonb_each(@rows) … ON CONFLICT …</c>, the rows one
        /// JSON array of arrays bound once as UTF-8 bytes. Bound one by one, each value costs a P/Invoke, a
        /// UTF-16 → UTF-8 copy and a linear search of the statement's parameter names (quadratic in rows per
        /// statement); SQLite parses the JSON in C. The values are written as Microsoft.Data.Sqlite binds them.
        /// </summary>
        private async Task UpsertJsonAsync(IReadOnlyList<object> rows, CancellationToken cancellationToken)
        {
            if (_jsonCommand is null)
            {
                _jsonCommand = _context.Database.GetDbConnection().CreateCommand();
                var sql = _context.GetService<ISqlGenerationHelper>();
                _jsonCommand.CommandText = new StringBuilder("INSERT INTO ").Append(_table).Append(" AS t (")
                    .AppendJoin(", ", _columns.Select(c => sql.DelimitIdentifier(c.Property.GetColumnName())))
                    .Append(") SELECT ").AppendJoin(", ", _columns.Select((_, i) => "j.value ->> " + i.ToString(CultureInfo.InvariantCulture)))
                    // jsonb_each hands each row on parsed (json_each would render it back to text); WHERE true: SQLite's
                    // grammar needs it between an INSERT's SELECT and ON CONFLICT.
                    .Append(" FROM jsonb_each(CAST(@rows AS TEXT)) AS j WHERE true").Append(_onConflict).ToString();
                var parameter = _jsonCommand.CreateParameter();
                parameter.ParameterName = "@rows";
                parameter.DbType = DbType.Binary;
                _jsonCommand.Parameters.Add(parameter);
                _jsonBuffer = new ArrayBufferWriter<byte>(80_000);
            }

            var next = 0;
            while (next < rows.Count)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _jsonBuffer!.ResetWrittenCount();
                using (var writer = new Utf8JsonWriter(_jsonBuffer, JsonRows))
                {
                    writer.WriteStartArray();
                    while (next < rows.Count && writer.BytesPending + _jsonBuffer.WrittenCount < JsonBytesPerStatement)
                    {
                        var r = next++;
                        writer.WriteStartArray();
                        for (var c = 0; c < _columns.Length; c++)
                        {
                            var (_, mapping, getter) = _columns[c];
                            var value = getter.GetClrValue(rows[r]);
                            if (value is not null && mapping.Converter is { } converter)
                            {
                                value = converter.ConvertToProvider(value);
                            }

                            WriteJson(writer, _json![c], value);
                        }

                        writer.WriteEndArray();
                    }

                    writer.WriteEndArray();
                }

                _jsonCommand.Transaction = _context.Database.CurrentTransaction?.GetDbTransaction();
                _jsonCommand.Parameters[0].Value = _jsonBuffer.WrittenSpan.ToArray();
                await _jsonCommand.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        /// <summary>PostgreSQL: COPY … FROM STDIN (FORMAT BINARY), the fastest way in, inside the current transaction.</summary>
        private async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<object> rows, CancellationToken cancellationToken)
        {
            var sql = _context.GetService<ISqlGenerationHelper>();
            var columns = string.Join(", ", _columns.Select(c => sql.DelimitIdentifier(c.Property.GetColumnName())));
            await using var importer = await connection.BeginBinaryImportAsync($"COPY {_table} ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var row in rows)
            {
                await importer.StartRowAsync(cancellationToken);
                foreach (var (_, mapping, getter) in _columns)
                {
                    var value = getter.GetClrValue(row);
                    if (value is null)
                    {
                        await importer.WriteNullAsync(cancellationToken);
                        continue;
                    }

                    if (mapping.Converter is { } converter)
                    {
                        value = converter.ConvertToProvider(value)!;
                    }

                    await importer.WriteAsync(value, StoreTypeName(mapping.StoreType), cancellationToken);
                }
            }

            await importer.CompleteAsync(cancellationToken);
        }

        // "character varying(100)" → "character varying": the binary format does not depend on the facets.
        private static string StoreTypeName(string storeType) =>
            storeType.IndexOf('(') is var open and > 0 ? storeType[..open] : storeType;

        private DbCommand Create(int rows)
        {
            var command = _context.Database.GetDbConnection().CreateCommand();
            var text = new StringBuilder("INSERT INTO ").Append(_table).Append(_onConflict is null ? " (" : " AS t (");
            text.AppendJoin(", ", _columns.Select(c => _context.GetService<ISqlGenerationHelper>().DelimitIdentifier(c.Property.GetColumnName())));
            text.Append(") VALUES ");
            for (var r = 0; r < rows; r++)
            {
                text.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < _columns.Length; c++)
                {
                    var name = "@p" + (r * _columns.Length + c).ToString(CultureInfo.InvariantCulture);
                    text.Append(c == 0 ? "" : ", ").Append(name);
                    // The mapping sets the provider's parameter type (e.g. Guid as TEXT on SQLite, uuid on PostgreSQL).
                    command.Parameters.Add(_columns[c].Mapping.CreateParameter(command, name, null, _columns[c].Property.IsNullable));
                }

                text.Append(')');
            }

            command.CommandText = text.Append(_onConflict).ToString();
            return command;
        }

        // Vietnamese text stays as it is (no \u escapes): SQLite reads it back to the same TEXT either way.
        private static readonly JsonWriterOptions JsonRows = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

        /// <summary>How each column travels in the JSON rows; null when a column's provider type is not one written exactly (the rows are bound one value at a time).</summary>
        private static JsonColumn[]? JsonColumns((IProperty Property, RelationalTypeMapping Mapping, IClrPropertyGetter Getter)[] columns)
        {
            var kinds = new JsonColumn[columns.Length];
            for (var c = 0; c < columns.Length; c++)
            {
                var type = columns[c].Mapping.Converter?.ProviderClrType ?? columns[c].Property.ClrType;
                type = Nullable.GetUnderlyingType(type) ?? type;
                JsonColumn? kind = type.IsEnum ? null : Type.GetTypeCode(type) switch
                {
                    TypeCode.String => JsonColumn.Text,
                    TypeCode.Boolean => JsonColumn.Boolean,
                    TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int64 => JsonColumn.Integer,
                    TypeCode.DateTime => JsonColumn.DateTime,
                    _ when type == typeof(Guid) => JsonColumn.Guid,
                    _ when type == typeof(DateOnly) => JsonColumn.DateOnly,
                    _ => null,
                };
                if (kind is null)
                {
                    return null;
                }

                kinds[c] = kind.Value;
            }

            return kinds;
        }

        // The text Microsoft.Data.Sqlite binds for each type (SqliteValueBinder), so that a row reads back as EF wrote it.
        private static void WriteJson(Utf8JsonWriter writer, JsonColumn kind, object? value)
        {
            Span<char> text = stackalloc char[40];
            int length;
            switch (value)
            {
                case null:
                    writer.WriteNullValue();
                    return;
                case string s:
                    writer.WriteStringValue(s);
                    return;
                case bool b:
                    writer.WriteNumberValue(b ? 1 : 0);
                    return;
                case Guid g:
                    g.TryFormat(text, out length);
                    for (var i = 0; i < length; i++)
                    {
                        text[i] = char.ToUpperInvariant(text[i]);
                    }

                    break;
                case DateTime d:
                    d.TryFormat(text, out length, @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture);
                    break;
                case DateOnly d:
                    d.TryFormat(text, out length, @"yyyy\-MM\-dd", CultureInfo.InvariantCulture);
                    break;
                default:
                    writer.WriteNumberValue(kind == JsonColumn.Integer ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : throw new InvalidOperationException($"{value.GetType().Name} is not a {kind} column's value."));
                    return;
            }

            writer.WriteStringValue(text[..length]);
        }

        private static bool IsStoreGeneratedKey(IProperty property) =>
            property.IsPrimaryKey() && property.ValueGenerated == Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.OnAdd
            && (property.ClrType == typeof(long) || property.ClrType == typeof(int));
    }

    private enum JsonColumn
    {
        Text,
        Boolean,
        Integer,
        DateTime,
        Guid,
        DateOnly,
    }
}
