namespace TaobaoAlliance.Data.Ledger;

/// <summary>
/// Database-side guarantees of the ledger, installed by the initial migration: every journal entry
/// balances (checked at commit, after all its lines are in) and nothing in the journal is ever
/// updated or deleted — corrections are new entries.
/// </summary>
internal static class LedgerTriggers
{
    public const string Create = """
        CREATE FUNCTION journal_entry_must_balance() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF (SELECT COALESCE(SUM(amount_fen), 0) FROM journal_lines WHERE entry_id = NEW.entry_id) <> 0 THEN
                RAISE EXCEPTION 'journal entry % does not balance', NEW.entry_id USING ERRCODE = '23514';
            END IF;
            RETURN NULL;
        END $$;
        CREATE CONSTRAINT TRIGGER journal_lines_balance AFTER INSERT ON journal_lines
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION journal_entry_must_balance();

        CREATE FUNCTION ledger_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the ledger is append-only (% on %)', TG_OP, TG_TABLE_NAME USING ERRCODE = '55000';
        END $$;
        CREATE TRIGGER journal_lines_append_only BEFORE UPDATE OR DELETE ON journal_lines
            FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();
        CREATE TRIGGER journal_entries_append_only BEFORE UPDATE OR DELETE ON journal_entries
            FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();
        """;

    public const string Drop = """
        DROP TRIGGER journal_entries_append_only ON journal_entries;
        DROP TRIGGER journal_lines_append_only ON journal_lines;
        DROP TRIGGER journal_lines_balance ON journal_lines;
        DROP FUNCTION ledger_is_append_only();
        DROP FUNCTION journal_entry_must_balance();
        """;

    /// <summary>
    /// Keeps <see cref="LedgerAccount.BalanceFen"/> of the parties' accounts (installed by the migration KeptBalances).
    /// The update locks the party's account row until commit: postings of one seller or one webmaster queue on it,
    /// as they already did where a balance is checked. The platform's accounts are left out on purpose (see BalanceFen).
    /// </summary>
    public const string KeepBalances = """
        CREATE FUNCTION journal_line_keeps_balance() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE ledger_accounts SET balance_fen = COALESCE(balance_fen, 0) + NEW.amount_fen
            WHERE id = NEW.account_id AND (seller_id IS NOT NULL OR webmaster_id IS NOT NULL);
            RETURN NULL;
        END $$;
        CREATE TRIGGER journal_lines_keep_balance AFTER INSERT ON journal_lines
            FOR EACH ROW EXECUTE FUNCTION journal_line_keeps_balance();
        UPDATE ledger_accounts a SET balance_fen = s.fen
        FROM (SELECT account_id, SUM(amount_fen) AS fen FROM journal_lines GROUP BY account_id) s
        WHERE a.id = s.account_id AND (a.seller_id IS NOT NULL OR a.webmaster_id IS NOT NULL);
        """;

    /// <summary>
    /// The same balances kept once per statement instead of once per line (migration StatementBalances): a batch of many
    /// entries (the campaign grain's) updates each account once, where a row trigger updated the seller's wallet once a
    /// click. Accounts in id order, the order <c>LedgerWriter</c> locks them in.
    /// </summary>
    public const string KeepBalancesPerStatement = """
        DROP TRIGGER journal_lines_keep_balance ON journal_lines;
        DROP FUNCTION journal_line_keeps_balance();
        CREATE FUNCTION journal_lines_keep_balances() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE ledger_accounts a SET balance_fen = COALESCE(a.balance_fen, 0) + s.fen
            FROM (SELECT account_id, SUM(amount_fen) AS fen FROM new_lines GROUP BY account_id ORDER BY account_id) s
            WHERE a.id = s.account_id AND (a.seller_id IS NOT NULL OR a.webmaster_id IS NOT NULL);
            RETURN NULL;
        END $$;
        CREATE TRIGGER journal_lines_keep_balances AFTER INSERT ON journal_lines REFERENCING NEW TABLE AS new_lines
            FOR EACH STATEMENT EXECUTE FUNCTION journal_lines_keep_balances();
        """;

    public const string KeepBalancesPerLine = """
        DROP TRIGGER journal_lines_keep_balances ON journal_lines;
        DROP FUNCTION journal_lines_keep_balances();
        CREATE FUNCTION journal_line_keeps_balance() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE ledger_accounts SET balance_fen = COALESCE(balance_fen, 0) + NEW.amount_fen
            WHERE id = NEW.account_id AND (seller_id IS NOT NULL OR webmaster_id IS NOT NULL);
            RETURN NULL;
        END $$;
        CREATE TRIGGER journal_lines_keep_balance AFTER INSERT ON journal_lines
            FOR EACH ROW EXECUTE FUNCTION journal_line_keeps_balance();
        """;

    public const string StopKeepingBalances = """
        DROP TRIGGER journal_lines_keep_balance ON journal_lines;
        DROP FUNCTION journal_line_keeps_balance();
        """;
}
