using System.Globalization;
using System.Runtime.InteropServices;
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
/// before in its place stays bound (feed and audit rows repeat most of theirs). Each place encodes
/// its text into a pinned buffer of its own, which SQLite reads when the statement steps (bound
/// <c>SQLITE_STATIC</c> through <see cref="SqliteBind"/>): bound as SQLitePCL binds text, SQLite
/// copies every value into memory of its own and frees the one before, under its memory lock,
/// millions of times in an import. Many rows per statement because inside a transaction SQLite
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

            var rc = Bind(statement, i, _kinds[i % _kinds.Length], value);
            SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
            statement.Bound[i] = value;
            statement.IsBound[i] = true;
        }

        var stepped = raw.sqlite3_step(statement.Handle);
        if (stepped != raw.SQLITE_DONE)
        {
            // The reset returns the statement's error and leaves its message on the connection.
            stepped = raw.sqlite3_reset(statement.Handle);
            SqliteException.ThrowExceptionForRC(stepped, _connection.Handle);
            throw new InvalidOperationException($"SQLite stepped an INSERT with code {stepped}.");
        }

        raw.sqlite3_reset(statement.Handle);
    }

    private static int Bind(Statement statement, int place, Kind kind, SqliteCell value)
    {
        if (value.IsNull)
        {
            return SqliteBind.Null(statement.Pointer, place + 1);
        }

        if (kind == Kind.Integer)
        {
            return SqliteBind.Int64(statement.Pointer, place + 1, value.Number);
        }

        var text = kind switch
        {
            Kind.Guid => Guid(statement, place, value.Guid),
            Kind.DateTime => Utf8(statement, place, new DateTime(value.Number), DateTimeFormat),
            Kind.DateOnly => Utf8(statement, place, DateOnly.FromDayNumber((int)value.Number), DateOnlyFormat),
            _ => Utf8(statement, place, value.Text!),
        };
        return SqliteBind.StaticText(statement.Pointer, place + 1, text);
    }

    private static Span<byte> Utf8(Statement statement, int place, string value)
    {
        var buffer = statement.Buffer(place, Encoding.UTF8.GetMaxByteCount(value.Length));
        return buffer[..Encoding.UTF8.GetBytes(value, buffer)];
    }

    private static Span<byte> Utf8<T>(Statement statement, int place, T value, string format)
        where T : IUtf8SpanFormattable
    {
        var buffer = statement.Buffer(place, 32);
        value.TryFormat(buffer, out var written, format, CultureInfo.InvariantCulture);
        return buffer[..written];
    }

    // Microsoft.Data.Sqlite writes guid.ToString().ToUpper(): the hex digits upper case.
    private static Span<byte> Guid(Statement statement, int place, Guid value)
    {
        var buffer = statement.Buffer(place, 36);
        value.TryFormat(buffer, out var written, "D");
        Ascii.ToUpperInPlace(buffer[..written], out _);
        return buffer[..written];
    }

    public void Dispose()
    {
        _many.Handle.Dispose();
        _one?.Handle.Dispose();
    }

    /// <summary>
    /// A prepared statement, the value bound in each of its places (none at first) and the pinned buffer each place's
    /// text is bound from (SQLite reads it when the statement steps, so it is rewritten only to bind another value).
    /// </summary>
    private sealed class Statement
    {
        // Room for most names and addresses; a longer value gets its place a larger buffer.
        private const int FirstBuffer = 64;
        private readonly byte[]?[] _buffers;

        public Statement(SqliteConnection connection, string sql, int parameters)
        {
            var rc = raw.sqlite3_prepare_v2(connection.Handle, sql, out var handle);
            SqliteException.ThrowExceptionForRC(rc, connection.Handle);
            Handle = handle;
            Bound = new SqliteCell[parameters];
            IsBound = new bool[parameters];
            _buffers = new byte[parameters][];
        }

        public sqlite3_stmt Handle { get; }

        /// <summary>The native statement, for <see cref="SqliteBind"/>; <see cref="Handle"/> keeps it alive until disposed.</summary>
        public nint Pointer => Handle.DangerousGetHandle();

        public SqliteCell[] Bound { get; }

        public bool[] IsBound { get; }

        /// <summary>The place's buffer, of <paramref name="bytes"/> or more (a new one when its own is smaller: the place is bound again).</summary>
        public Span<byte> Buffer(int place, int bytes)
        {
            var buffer = _buffers[place];
            if (buffer is null || buffer.Length < bytes)
            {
                buffer = GC.AllocateUninitializedArray<byte>(Math.Max(bytes, FirstBuffer), pinned: true);
                _buffers[place] = buffer;
            }

            return buffer;
        }
    }
}

/// <summary>
/// SQLite's bind calls made directly (the library SQLitePCL loads), with the statement as a pointer: SQLitePCL's pass a
/// safe handle (two interlocked counts per call) and bind text <c>SQLITE_TRANSIENT</c>. Each call is short and calls
/// nothing back, so it runs without the GC transition.
/// </summary>
internal static unsafe partial class SqliteBind
{
    private const string Library = "e_sqlite3";

    // SQLITE_STATIC: the text stays where it is, unchanged, until bound again or the statement is finalized.
    private static readonly nint Static = 0;

    public static int StaticText(nint statement, int index, ReadOnlySpan<byte> text)
    {
        // The span of a pinned array: its address does not move. An empty one still points into the array, so SQLite binds
        // an empty text, not NULL.
        fixed (byte* pointer = &MemoryMarshal.GetReference(text))
        {
            return BindText(statement, index, pointer, text.Length, Static);
        }
    }

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_text")]
    [SuppressGCTransition]
    private static partial int BindText(nint statement, int index, byte* text, int bytes, nint destructor);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_int64")]
    [SuppressGCTransition]
    public static partial int Int64(nint statement, int index, long value);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_null")]
    [SuppressGCTransition]
    public static partial int Null(nint statement, int index);
}
