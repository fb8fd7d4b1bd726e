module ctypesgo

go 1.22
