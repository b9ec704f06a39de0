namespace DangVu.Modules.Members.Storage;

/// <summary>
/// SQLite's name index: an FTS5 table with the trigram tokenizer over <c>members.SearchName</c>
/// (external content, keyed by the members' rowid), kept in step by triggers so that every
/// save, tracked or bulk, updates it in its own transaction. A phrase of three or more
/// characters matches any substring of the folded name. Not part of the EF model (EF has no
/// virtual tables); the storage test checks it separately. A VACUUM may renumber rowids of a
/// table without an integer key: after one, run <see cref="SqliteRebuild"/>.
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

    public const string SqliteRebuild = $"INSERT INTO {Table}({Table}) VALUES ('rebuild');";

    /// <summary>
    /// A bulk insert fills the index set-based instead of a trigger per row (several times faster): inside the
    /// writing transaction, <see cref="SqliteBulkStart"/> drops the insert trigger, <see cref="SqliteIndexAfter"/>
    /// indexes the rows written since a rowid, and <see cref="SqliteBulkEnd"/> indexes the last ones and restores
    /// the trigger. DDL is transactional in SQLite and the transaction holds the only write lock, so no other
    /// writer ever runs without the trigger, and a rollback restores it.
    /// </summary>
    public const string SqliteBulkStart = $"DROP TRIGGER {Table}_insert;";

    public const string SqliteLastRowid = $"SELECT coalesce(max(rowid), 0) AS \"Value\" FROM {MembersTables.Members}";

    /// <summary>For <c>ExecuteSqlRaw</c>: <c>{0}</c> is the members' largest rowid already indexed.</summary>
    public const string SqliteIndexAfter =
        $"INSERT INTO {Table}(rowid, SearchName) SELECT rowid, SearchName FROM {MembersTables.Members} WHERE rowid > {{0}};";

    /// <summary>
    /// <see cref="SqliteIndexAfter"/>, then the index is merged into one segment (half a second for 500,000 names): the
    /// segments one large insert leaves made every search read them all, two to three times slower.
    /// </summary>
    public const string SqliteBulkEnd =
        SqliteIndexAfter + $" INSERT INTO {Table}({Table}) VALUES ('optimize'); " + SqliteInsertTrigger;

    /// <summary>
    /// The members whose folded name may contain a part, for <c>FromSqlRaw</c> with <c>{0}</c> =
    /// <see cref="Pattern"/>: the index's rowids select the rows directly (no join back by Id), one by one, so a
    /// query that needs the first thousand stops there (<c>rowid IN (…)</c> would first collect every match).
    /// FTS5 uses the trigram index for LIKE only without an ESCAPE clause: the caller checks the exact part.
    /// </summary>
    public const string SqliteMatching =
        $"SELECT m.* FROM {Table} AS s CROSS JOIN {MembersTables.Members} AS m ON m.rowid = s.rowid WHERE s.SearchName LIKE {{0}}";

    /// <summary>A folded name part (three characters or more) as a LIKE pattern without escapes: a <c>%</c> typed becomes <c>_</c>, any one character.</summary>
    public static string Pattern(string folded) => "%" + folded.Replace('%', '_') + "%";
}
