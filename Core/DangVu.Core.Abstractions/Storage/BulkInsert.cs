using System.Data.Common;
using System.Globalization;
using System.Text;
using DangVu.Core.Abstractions.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace DangVu.Core.Abstractions.Storage;

/// <summary>
/// Writes many new rows of mapped entities with prepared multi-row INSERTs on the context's
/// connection and transaction, without change tracking. Values go through the provider's type
/// mappings (converters, Guid/date formats), so rows read back exactly as EF would have written
/// them, on SQLite and PostgreSQL alike. Store-generated integer keys (feed and audit sequences)
/// are left to the database.
/// </summary>
internal sealed class BulkInsert
{
    // SQLite allows 32,766 bound values per statement, PostgreSQL 65,535; stay below both.
    private const int MaxParameters = 30_000;
    private const int MaxRowsPerStatement = 200;

    private readonly DbContext _context;
    private readonly Dictionary<Type, TableWriter> _writers = [];

    public BulkInsert(DbContext context)
    {
        _context = context;
    }

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
