package checklist

import (
	"go/ast"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/finding"
)

func gormLockIgnoredCheck() *Check {
	return &Check{
		Question: finding.RunsTwice,
		Severity: finding.SeverityWarning,
		Title:    "GORM v1's FOR UPDATE option on GORM v2, which ignores it",
		Rationale: "GORM v1 took a locking read as db.Set(\"gorm:query_option\", \"FOR UPDATE\"). GORM v2 " +
			"(gorm.io/gorm) still compiles that call but never reads the setting, so the SELECT runs without a " +
			"lock: two requests that redeem the same code, spend the same balance or claim the same job both read " +
			"the row as it was and both act on it. The check reports Set with the key gorm:query_option and a " +
			"locking clause (FOR UPDATE, FOR SHARE, LOCK IN SHARE MODE) on a gorm.io/gorm DB. Left alone: the " +
			"v1 package (github.com/jinzhu/gorm), where the option works, and other settings.",
		Fix: "Lock with a clause GORM v2 reads: tx.Clauses(clause.Locking{Strength: \"UPDATE\"}).Where(...).First(&row), inside the transaction that writes the row.",
		Bad: `err := tx.Set("gorm:query_option", "FOR UPDATE").
	Where("code = ?", code).First(&redemption).Error`,
		Good: `err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).
	Where("code = ?", code).First(&redemption).Error`,
		Analyzer: gormLockIgnoredAnalyzer,
	}
}

var gormLockIgnoredAnalyzer = &analysis.Analyzer{
	Name:             "gorm_lock_ignored",
	Doc:              "reports GORM v1's Set(\"gorm:query_option\", \"FOR UPDATE\") on a GORM v2 DB, which ignores it",
	Requires:         []*analysis.Analyzer{code.CallsAnalyzer},
	RunDespiteErrors: true,
	Run:              runGormLockIgnored,
}

func runGormLockIgnored(pass *analysis.Pass) (any, error) {
	info := pass.TypesInfo
	if info == nil {
		return nil, nil
	}
	callIdx := pass.ResultOf[code.CallsAnalyzer].(*code.Calls)
	for file, c := range callIdx.All() {
		call := c.Node().(*ast.CallExpr)
		if file == nil || code.CallName(call) != "Set" || len(call.Args) != 2 || code.IsTestFile(pass.Fset, call.Pos()) {
			continue
		}
		if !code.IsMethod(code.Callee(info, call), "gorm.io/gorm", "DB", "Set") {
			continue
		}
		key, _ := constString(info, call.Args[0])
		val, _ := constString(info, call.Args[1])
		val = strings.ToUpper(val)
		if key != "gorm:query_option" || !(strings.Contains(val, "FOR UPDATE") || strings.Contains(val, "FOR SHARE") || strings.Contains(val, "LOCK IN SHARE MODE")) {
			continue
		}
		report(pass, call, "GORM v2 ignores the gorm:query_option setting, so this read takes no lock: two requests at once both read the row as it was and both act on it (a code redeemed twice, a balance spent twice). Lock with tx.Clauses(clause.Locking{Strength: \"UPDATE\"}) in the transaction that writes the row")
	}
	return nil, nil
}
