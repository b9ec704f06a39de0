using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace DangVu.Core.Abstractions.Storage;

/// <summary>
/// SQLite: an INSERT of many rows prepared once and stepped through SQLite's own API, each value
/// bound by position in the text Microsoft.Data.Sqlite would bind for it (Guid upper-case
/// <c>D</c>, DateTime <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c>, DateOnly <c>yyyy-MM-dd</c>, integers,
/// UTF-8 text), so rows read back exactly as EF writes them. The ADO.NET command re-binds every
/// parameter of every execution, looking each up by name; here a value equal to the one bound
/// before in its place stays bound (feed and audit rows repeat most of theirs) and strings are
/// encoded into one reused buffer. Many rows per statement because inside a transaction SQLite
/// keeps a statement journal (the prior content of every page a statement changes) for each
/// statement that could fail half way (unique indexes): per row it would copy a dozen pages.
/// The rows left over at the end go one per statement. Only the kinds below are handled; a
/// table with another column type keeps the ADO.NET path (<see cref="KindOf"/> returns null).
/// </summary>
internal sealed class SqliteRowInsert : IDisposable
{
    internal enum Kind
    {
        Text,
        Guid,
        DateTime,
        DateOnly,
        Integer,
    }

    private const string DateTimeFormat = @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF";
    private const string DateOnlyFormat = @"yyyy\-MM\-dd";
    private readonly SqliteConnection _connection;
    private readonly Kind[] _kinds;
    private readonly Statement _many;
    private readonly Func<Statement> _createOne;
    private readonly SqliteCell[] _pending;
    private Statement? _one;
    private int _pendingRows;
    private byte[] _utf8 = new byte[512];

    /// <param name="sql">The INSERT with <paramref name="rowsPerStatement"/> rows of positional parameters.</param>
    /// <param name="singleRowSql">The same INSERT of one row.</param>
    public SqliteRowInsert(SqliteConnection connection, Kind[] kinds, int rowsPerStatement, string sql, string singleRowSql)
    {
        _connection = connection;
        _kinds = kinds;
        _pending = new SqliteCell[kinds.Length * rowsPerStatement];
        _many = new Statement(connection, sql, _pending.Length);
        _createOne = () => new Statement(connection, singleRowSql, kinds.Length);
    }

    /// <summary>The place of the next row's values, one per column: filled, then <see cref="Add"/>.</summary>
    public Span<SqliteCell> NextRow => _pending.AsSpan(_pendingRows * _kinds.Length, _kinds.Length);

    /// <summary>Adds the row written into <see cref="NextRow"/>, inserted when a statement's rows are complete.</summary>
    public void Add()
    {
        if (++_pendingRows * _kinds.Length == _pending.Length)
        {
            Step(_many, _pending, _pending.Length);
            _pendingRows = 0;
        }
    }

    /// <summary>Inserts the rows still pending, one statement each.</summary>
    public void Complete()
    {
        var row = new SqliteCell[_kinds.Length];
        for (var r = 0; r < _pendingRows; r++)
        {
            Array.Copy(_pending, r * _kinds.Length, row, 0, _kinds.Length);
            Step(_one ??= _createOne(), row, row.Length);
        }

        _pendingRows = 0;
    }

    /// <summary>
    /// How a value of the provider type <paramref name="type"/> (after the mapping's converter) bound
    /// as <paramref name="parameterType"/> is written, or null when this class does not handle it.
    /// </summary>
    public static Kind? KindOf(Type type, SqliteType parameterType)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return Kind.Text;
        }

        if (type == typeof(Guid))
        {
            return parameterType == SqliteType.Blob ? null : Kind.Guid;
        }

        if (type == typeof(DateTime))
        {
            return parameterType == SqliteType.Real ? null : Kind.DateTime;
        }

        if (type == typeof(DateOnly))
        {
            return parameterType == SqliteType.Real ? null : Kind.DateOnly;
        }

        return type == typeof(long) || type == typeof(int) || type == typeof(short) || type == typeof(byte) || type == typeof(bool)
            ? Kind.Integer
            : null;
    }

    private void Step(Statement statement, SqliteCell[] values, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var value = values[i];
            if (statement.IsBound[i] && statement.Bound[i] == value)
            {
                continue;
            }

            Bind(statement.Handle, i + 1, _kinds[i % _kinds.Length], value);
            statement.Bound[i] = value;
            statement.IsBound[i] = true;
        }

        var rc = raw.sqlite3_step(statement.Handle);
        if (rc != raw.SQLITE_DONE)
        {
            // The reset returns the statement's error and leaves its message on the connection.
            rc = raw.sqlite3_reset(statement.Handle);
            SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
            throw new InvalidOperationException($"SQLite stepped an INSERT with code {rc}.");
        }

        raw.sqlite3_reset(statement.Handle);
    }

    private void Bind(sqlite3_stmt statement, int index, Kind kind, SqliteCell value)
    {
        int rc;
        if (value.IsNull)
        {
            rc = raw.sqlite3_bind_null(statement, index);
        }
        else if (kind == Kind.Integer)
        {
            rc = raw.sqlite3_bind_int64(statement, index, value.Number);
        }
        else
        {
            var length = kind switch
            {
                Kind.Guid => Guid(value.Guid),
                Kind.DateTime => Utf8(new DateTime(value.Number), DateTimeFormat),
                Kind.DateOnly => Utf8(DateOnly.FromDayNumber((int)value.Number), DateOnlyFormat),
                _ => Utf8(value.Text!),
            };

            // An empty span would bind a null pointer, which SQLite takes for NULL.
            rc = length == 0
                ? raw.sqlite3_bind_text(statement, index, "")
                : raw.sqlite3_bind_text(statement, index, new ReadOnlySpan<byte>(_utf8, 0, length));
        }

        SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
    }

    private int Utf8(string value)
    {
        var most = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (_utf8.Length < most)
        {
            _utf8 = new byte[Math.Max(most, _utf8.Length * 2)];
        }

        return Encoding.UTF8.GetBytes(value, _utf8);
    }

    private int Utf8<T>(T value, string format)
        where T : IUtf8SpanFormattable
    {
        value.TryFormat(_utf8, out var written, format, CultureInfo.InvariantCulture);
        return written;
    }

    // Microsoft.Data.Sqlite writes guid.ToString().ToUpper(): the hex digits upper case.
    private int Guid(Guid value)
    {
        value.TryFormat(_utf8, out var written, "D");
        Ascii.ToUpperInPlace(_utf8.AsSpan(0, written), out _);
        return written;
    }

    public void Dispose()
    {
        _many.Handle.Dispose();
        _one?.Handle.Dispose();
    }

    /// <summary>A prepared statement and the value bound in each of its places (none at first).</summary>
    private sealed class Statement
    {
        public Statement(SqliteConnection connection, string sql, int parameters)
        {
            var rc = raw.sqlite3_prepare_v2(connection.Handle, sql, out var handle);
            SqliteException.ThrowExceptionForRC(rc, connection.Handle);
            Handle = handle;
            Bound = new SqliteCell[parameters];
            IsBound = new bool[parameters];
        }

        public sqlite3_stmt Handle { get; }

        public SqliteCell[] Bound { get; }

        public bool[] IsBound { get; }
    }
}
