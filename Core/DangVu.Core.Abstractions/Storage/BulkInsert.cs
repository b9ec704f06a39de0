using System.Data.Common;
using System.Globalization;
using System.Text;
using DangVu.Core.Abstractions.Security;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace DangVu.Core.Abstractions.Storage;

/// <summary>
/// Writes many new rows of mapped entities on the context's connection and transaction, without
/// change tracking: binary COPY on PostgreSQL, a prepared statement stepped through SQLite's own API
/// on SQLite (<see cref="SqliteRowInsert"/>), prepared multi-row INSERTs otherwise. Values go through the provider's type
/// mappings (converters, Guid/date formats), so rows read back exactly as EF would have written
/// them, on SQLite and PostgreSQL alike. Store-generated integer keys (feed and audit sequences)
/// are left to the database. <see cref="UpsertAsync"/> writes rows that may exist (replicas), on
/// SQLite through the same stepped statement with its ON CONFLICT clause.
/// </summary>
internal sealed class BulkInsert
{
    // Providers find a bound value by name with a linear search, so many values per statement cost
    // quadratically: a few rows per prepared statement is the fastest (SQLite steps rows in-process).
    private const int MaxParameters = 400;
    private const int MaxRowsPerStatement = 8;

    // Positional parameters bound through SQLite's API cost the same however many: a statement as
    // large as a few thousand values keeps the per-statement journal of SQLite rare (SqliteRowInsert).
    private const int SqliteMaxParameters = 4000;

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
        private readonly SqliteRowInsert.Kind[]? _sqliteKinds;
        private readonly Func<object, SqliteCell>[]? _sqliteReaders;
        private DbCommand? _full;

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
            if (context.Database.GetDbConnection() is SqliteConnection sqlite)
            {
                _sqliteKinds = SqliteKinds(sqlite);
                _sqliteReaders = _sqliteKinds is null ? null : _columns
                    .Select((c, i) => SqliteCellReader.For(c.Property, c.Mapping) ?? (row => SqliteCell.FromObject(ProviderValue(i, row))))
                    .ToArray();
            }
        }

        // Every column's kind, or null (the ADO.NET path) when one is of a type SqliteRowInsert does not write.
        private SqliteRowInsert.Kind[]? SqliteKinds(SqliteConnection connection)
        {
            using var command = connection.CreateCommand();
            var kinds = new SqliteRowInsert.Kind[_columns.Length];
            for (var c = 0; c < _columns.Length; c++)
            {
                var (property, mapping, _) = _columns[c];
                var parameter = (SqliteParameter)mapping.CreateParameter(command, "@p", null, property.IsNullable);
                if (SqliteRowInsert.KindOf(mapping.Converter?.ProviderClrType ?? mapping.ClrType, parameter.SqliteType) is not { } kind)
                {
                    return null;
                }

                kinds[c] = kind;
            }

            return kinds;
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

            if (_sqliteKinds is not null)
            {
                InsertSqlite((SqliteConnection)_context.Database.GetDbConnection(), rows, cancellationToken);
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
                    for (var c = 0; c < _columns.Length; c++)
                    {
                        command.Parameters[parameter++].Value = ProviderValue(c, row) ?? DBNull.Value;
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

        /// <summary>SQLite: prepared INSERTs (or upserts) of many rows stepped in the current transaction (SQLite runs in-process, synchronously).</summary>
        private void InsertSqlite(SqliteConnection connection, IReadOnlyList<object> rows, CancellationToken cancellationToken)
        {
            var rowsPerStatement = Math.Max(1, SqliteMaxParameters / _columns.Length);
            using var insert = new SqliteRowInsert(connection, _sqliteKinds!, rowsPerStatement, SqliteInsertText(rowsPerStatement), SqliteInsertText(1));
            var readers = _sqliteReaders!;
            for (var r = 0; r < rows.Count; r++)
            {
                if (r % 1024 == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var row = rows[r];
                var values = insert.NextRow;
                for (var c = 0; c < readers.Length; c++)
                {
                    values[c] = readers[c](row);
                }

                insert.Add();
            }

            insert.Complete();
        }

        private string SqliteInsertText(int rows)
        {
            var sql = _context.GetService<ISqlGenerationHelper>();
            var text = new StringBuilder("INSERT INTO ").Append(_table).Append(_onConflict is null ? " (" : " AS t (")
                .AppendJoin(", ", _columns.Select(c => sql.DelimitIdentifier(c.Property.GetColumnName()))).Append(") VALUES ");
            for (var r = 0; r < rows; r++)
            {
                text.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < _columns.Length; c++)
                {
                    text.Append(c == 0 ? "?" : ", ?").Append((r * _columns.Length + c + 1).ToString(CultureInfo.InvariantCulture));
                }

                text.Append(')');
            }

            return text.Append(_onConflict).ToString();
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
                for (var c = 0; c < _columns.Length; c++)
                {
                    if (ProviderValue(c, row) is { } value)
                    {
                        await importer.WriteAsync(value, StoreTypeName(_columns[c].Mapping.StoreType), cancellationToken);
                    }
                    else
                    {
                        await importer.WriteNullAsync(cancellationToken);
                    }
                }
            }

            await importer.CompleteAsync(cancellationToken);
        }

        /// <summary>Column <paramref name="column"/> of <paramref name="row"/> as the provider stores it (after the mapping's converter), or null.</summary>
        private object? ProviderValue(int column, object row)
        {
            var (_, mapping, getter) = _columns[column];
            var value = getter.GetClrValue(row);
            return value is not null && mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value;
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

        private static bool IsStoreGeneratedKey(IProperty property) =>
            property.IsPrimaryKey() && property.ValueGenerated == Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.OnAdd
            && (property.ClrType == typeof(long) || property.ClrType == typeof(int));
    }
}
