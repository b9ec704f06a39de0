using Microsoft.EntityFrameworkCore;

namespace DangVu.Modules.Members.Storage;

/// <summary>
/// The name search's index: <see cref="Names"/>, the distinct names, on both providers. Before it (migrations up
/// to 20261201210000), SQLite's name index was an FTS5 table with the trigram tokenizer over <c>members.SearchName</c>
/// (external content, keyed by the members' rowid), kept in step by triggers so that every
/// save, tracked or bulk, updates it in its own transaction. A phrase of three or more
/// characters matches any substring of the folded name. Not part of the EF model (EF has no
/// virtual tables). Its statements stay for those migrations.
/// </summary>
internal static class MembersSearchIndex
{
    public const string Table = "members_search";

    private const string SqliteInsertTrigger =
        $"CREATE TRIGGER {Table}_insert AFTER INSERT ON {MembersTables.Members} BEGIN " +
        $"INSERT INTO {Table}(rowid, SearchName) VALUES (new.rowid, new.SearchName); END;";

    /// <summary>
    /// The table, its first fill and the triggers. <paramref name="detail"/> is FTS5's: <c>full</c> (positions,
    /// the first version, matched by phrase) or <c>none</c> (rowids only, matched by LIKE, which checks each
    /// candidate's name): a third of the size, and several times faster for a name made of common trigrams.
    /// </summary>
    public static string[] SqliteCreate(string detail) =>
    [
        $"CREATE VIRTUAL TABLE {Table} USING fts5(SearchName, content='{MembersTables.Members}', content_rowid='rowid', tokenize='trigram', detail='{detail}');",
        $"INSERT INTO {Table}(rowid, SearchName) SELECT rowid, SearchName FROM {MembersTables.Members};",
        SqliteInsertTrigger,
        $"CREATE TRIGGER {Table}_delete AFTER DELETE ON {MembersTables.Members} BEGIN " +
            $"INSERT INTO {Table}({Table}, rowid, SearchName) VALUES ('delete', old.rowid, old.SearchName); END;",
        $"CREATE TRIGGER {Table}_update AFTER UPDATE OF SearchName ON {MembersTables.Members} BEGIN " +
            $"INSERT INTO {Table}({Table}, rowid, SearchName) VALUES ('delete', old.rowid, old.SearchName); " +
            $"INSERT INTO {Table}(rowid, SearchName) VALUES (new.rowid, new.SearchName); END;",
    ];

    public static readonly string[] SqliteDrop =
    [
        $"DROP TRIGGER IF EXISTS {Table}_insert;",
        $"DROP TRIGGER IF EXISTS {Table}_delete;",
        $"DROP TRIGGER IF EXISTS {Table}_update;",
        $"DROP TABLE IF EXISTS {Table};",
    ];

    /// <summary>
    /// The distinct names of the members (sort name and folded name), the name search's index on both providers
    /// (20261202010000): far fewer than the members (8,600 for the benchmark's 500,000), so a part of a name is
    /// found by reading them all, in the sort order, and then only the members of the names that match, in that
    /// order too. A name is added by the writing statement (a trigger) and never removed: a name nobody bears any
    /// more finds no member. Outside the EF model, like the FTS5 table it replaces on SQLite.
    /// </summary>
    public const string Names = "member_names";

    private const string SqliteAddName =
        $"INSERT INTO {Names}(SortName, SearchName) SELECT new.SortName, new.SearchName " +
        $"WHERE NOT EXISTS (SELECT 1 FROM {Names} WHERE SortName = new.SortName AND SearchName = new.SearchName);";

    private const string SqliteNamesInsertTrigger = $"CREATE TRIGGER {Names}_insert AFTER INSERT ON {MembersTables.Members} BEGIN {SqliteAddName} END;";

    public static readonly string[] SqliteCreateNames =
    [
        $"CREATE TABLE {Names} (SortName TEXT NOT NULL, SearchName TEXT NOT NULL, PRIMARY KEY (SortName, SearchName)) WITHOUT ROWID;",
        $"INSERT OR IGNORE INTO {Names}(SortName, SearchName) SELECT SortName, SearchName FROM {MembersTables.Members};",
        SqliteNamesInsertTrigger,
        $"CREATE TRIGGER {Names}_update AFTER UPDATE OF SortName, SearchName ON {MembersTables.Members} BEGIN {SqliteAddName} END;",
    ];

    public static readonly string[] SqliteDropNames =
    [
        $"DROP TRIGGER IF EXISTS {Names}_insert;",
        $"DROP TRIGGER IF EXISTS {Names}_update;",
        $"DROP TABLE IF EXISTS {Names};",
    ];

    /// <summary>
    /// PostgreSQL keeps the names with statement triggers reading the rows written (transition tables): one
    /// insert per statement, a bulk COPY included, and a name already there is left as it is.
    /// </summary>
    public static string[] PostgresCreateNames(string schema) =>
    [
        $"CREATE TABLE \"{schema}\".{Names} (\"SortName\" character varying(220) NOT NULL, \"SearchName\" character varying(320) NOT NULL, PRIMARY KEY (\"SortName\", \"SearchName\"));",
        $"INSERT INTO \"{schema}\".{Names} SELECT DISTINCT \"SortName\", \"SearchName\" FROM \"{schema}\".{MembersTables.Members};",
        $"CREATE FUNCTION \"{schema}\".{Names}_add() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN " +
            $"INSERT INTO \"{schema}\".{Names} SELECT DISTINCT \"SortName\", \"SearchName\" FROM written ON CONFLICT DO NOTHING; RETURN NULL; END $$;",
        $"CREATE TRIGGER {Names}_insert AFTER INSERT ON \"{schema}\".{MembersTables.Members} REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION \"{schema}\".{Names}_add();",
        $"CREATE TRIGGER {Names}_update AFTER UPDATE ON \"{schema}\".{MembersTables.Members} REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION \"{schema}\".{Names}_add();",
    ];

    public static string[] PostgresDropNames(string schema) =>
    [
        $"DROP TABLE IF EXISTS \"{schema}\".{Names};",
        $"DROP TRIGGER IF EXISTS {Names}_insert ON \"{schema}\".{MembersTables.Members};",
        $"DROP TRIGGER IF EXISTS {Names}_update ON \"{schema}\".{MembersTables.Members};",
        $"DROP FUNCTION IF EXISTS \"{schema}\".{Names}_add();",
    ];

    /// <summary>
    /// A bulk insert on SQLite adds the names set-based instead of a trigger per row: inside the writing
    /// transaction, <see cref="SqliteBulkStart"/> drops the insert trigger, <see cref="SqliteIndexAfter"/> adds the
    /// names of the rows written since a rowid, and <see cref="SqliteBulkEnd"/> those of the last ones and restores
    /// the trigger. DDL is transactional in SQLite and the transaction holds the only write lock, so no other
    /// writer ever runs without the trigger, and a rollback restores it.
    /// </summary>
    public const string SqliteBulkStart = $"DROP TRIGGER {Names}_insert;";

    private const string SqliteLastRowid = $"SELECT coalesce(max(rowid), 0) AS \"Value\" FROM {MembersTables.Members}";

    /// <summary>The members' largest rowid on SQLite: the rows a bulk write inserts come after it.</summary>
    public static Task<long> LastRowidAsync(MembersDbContext db, CancellationToken cancellationToken) =>
        db.Database.SqlQueryRaw<long>(SqliteLastRowid).SingleAsync(cancellationToken);

    /// <summary>Inside the writing transaction on SQLite: drops the insert trigger (<see cref="SqliteBulkStart"/>); returns the mark for <see cref="EndBulkNamesAsync"/>.</summary>
    public static async Task<long> BeginBulkNamesAsync(MembersDbContext db, CancellationToken cancellationToken)
    {
        var named = await LastRowidAsync(db, cancellationToken);
        await db.Database.ExecuteSqlRawAsync(SqliteBulkStart, cancellationToken);
        return named;
    }

    /// <summary>Adds the names of the members inserted after <paramref name="named"/> and restores the insert trigger (<see cref="SqliteBulkEnd"/>).</summary>
    public static Task EndBulkNamesAsync(MembersDbContext db, long named, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(SqliteBulkEnd, [named], cancellationToken);

    /// <summary>For <c>ExecuteSqlRaw</c>: <c>{0}</c> is the members' largest rowid whose names are in (0.3 CPU-s for 500,000 members).</summary>
    public const string SqliteIndexAfter =
        $"INSERT OR IGNORE INTO {Names}(SortName, SearchName) SELECT SortName, SearchName FROM {MembersTables.Members} WHERE rowid > {{0}};";

    public const string SqliteBulkEnd = SqliteIndexAfter + " " + SqliteNamesInsertTrigger;

    /// <summary>
    /// SQLite: the distinct sort names whose folded name contains <c>{0}</c>, in the sort order (descending with
    /// <paramref name="descending"/>), past <c>{2}</c> unless <paramref name="first"/>, at most <c>{1}</c>.
    /// </summary>
    public static string SqliteMatchingNames(bool descending, bool first)
    {
        var past = first ? "" : $" AND SortName {(descending ? "<" : ">")} {{2}}";
        return $"SELECT DISTINCT SortName AS \"Value\" FROM {Names} WHERE instr(SearchName, {{0}}) > 0{past} ORDER BY SortName{(descending ? " DESC" : "")} LIMIT {{1}}";
    }

    /// <summary>For <c>FromSqlRaw</c>: the members bearing a name whose folded form contains <c>{0}</c> (the caller checks their own).</summary>
    public static string MembersOfMatchingNames(string? schema) => schema is null
        ? $"SELECT * FROM {MembersTables.Members} WHERE SortName IN (SELECT SortName FROM {Names} WHERE instr(SearchName, {{0}}) > 0)"
        : $"SELECT * FROM \"{schema}\".{MembersTables.Members} WHERE \"SortName\" IN (SELECT \"SortName\" FROM \"{schema}\".{Names} WHERE strpos(\"SearchName\", {{0}}) > 0)";

    /// <summary>
    /// For <c>SqlQueryRaw&lt;MemberName&gt;</c>: the names whose folded form contains <c>{0}</c>. The planner cannot
    /// estimate strpos and takes a third of the names, so it keeps to reading them in the name order and stops at
    /// the search's limit; from LIKE's estimate (one name for "minh ha", which 72 contain) it reads every match and sorts.
    /// </summary>
    public static string PostgresNamesContaining(string schema) =>
        $"SELECT \"SortName\", \"SearchName\" FROM \"{schema}\".{Names} WHERE strpos(\"SearchName\", {{0}}) > 0";
}

/// <summary>A row of <see cref="MembersSearchIndex.Names"/>.</summary>
internal sealed class MemberName
{
    public string SortName { get; init; } = "";

    public string SearchName { get; init; } = "";
}
