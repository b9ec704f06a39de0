using System.Data.Common;
using System.Globalization;
using System.Text;
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
/// are left to the database.
/// </summary>
internal sealed class BulkInsert
{
    // Providers find a bound value by name with a linear search, so many values per statement cost
    // quadratically: a few rows per prepared statement is the fastest (SQLite steps rows in-process).
    private const int MaxParameters = 400;
    private const int MaxRowsPerStatement = 8;

    private readonly DbContext _context;
    private readonly Dictionary<Type, TableWriter> _writers = [];

    public BulkInsert(DbContext context)
    {
        _context = context;
    }

    /// <summary>The delimited names of the tables written so far.</summary>
    public IEnumerable<string> Tables => _writers.Values.Select(w => w.Table);

    /// <summary>Inserts <paramref name="rows"/>, all of the mapped type <paramref name="type"/>.</summary>
    public async Task WriteAsync(Type type, IReadOnlyList<object> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        if (!_writers.TryGetValue(type, out var writer))
        {
            writer = new TableWriter(_context, type);
            _writers[type] = writer;
        }

        await writer.WriteAsync(rows, cancellationToken);
    }

    private sealed class TableWriter
    {
        private readonly DbContext _context;
        private readonly string _table;
        private readonly (IProperty Property, RelationalTypeMapping Mapping, IClrPropertyGetter Getter)[] _columns;
        private readonly int _rowsPerStatement;
        private DbCommand? _full;

        public string Table => _table;

        public TableWriter(DbContext context, Type clrType)
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
        }

        public async Task WriteAsync(IReadOnlyList<object> rows, CancellationToken cancellationToken)
        {
            if (_context.Database.GetDbConnection() is NpgsqlConnection npgsql)
            {
                await CopyAsync(npgsql, rows, cancellationToken);
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
            var text = new StringBuilder("INSERT INTO ").Append(_table).Append(" (");
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

            command.CommandText = text.ToString();
            return command;
        }

        private static bool IsStoreGeneratedKey(IProperty property) =>
            property.IsPrimaryKey() && property.ValueGenerated == Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.OnAdd
            && (property.ClrType == typeof(long) || property.ClrType == typeof(int));
    }
}
